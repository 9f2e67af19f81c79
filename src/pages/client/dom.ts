import { text } from './page-text.js';

/** The element with this id (the page's markup has it; use `has` where a page may not). */
export function byId<E extends HTMLElement = HTMLElement>(id: string): E {
  return document.getElementById(id) as E;
}

/** Whether the page has an element with this id (which part of a role's pages this is). */
export function has(id: string): boolean {
  return document.getElementById(id) !== null;
}

/** Shows a message in the status region and clears the error. */
export function say(message: string): void {
  byId('message').textContent = message || '';
  if (message) byId('error').textContent = '';
}

/** Shows an error (an Error's message, or words) in the alert region and clears the message. */
export function fail(error: unknown): void {
  const message = error ? (error as { message?: string }).message || String(error) : '';
  byId('error').textContent = message;
  if (message) byId('message').textContent = '';
}

type Attrs = Record<string, string | number | boolean | null | undefined>;

/** An element with attributes (`text` sets its text) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, children?: ReadonlyArray<Node | string | null | undefined>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach((name) => {
    const value = attrs![name];
    if (value === undefined || value === null || value === false) return;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  });
  (children || []).forEach((child) => {
    if (child === null || child === undefined) return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

/** Replaces a list's items with one rendered per item, or a note when there are none. */
export function fill<T>(list: HTMLElement, items: ReadonlyArray<T>, render: (item: T) => Node, emptyText?: string): void {
  list.textContent = '';
  if (!items.length) list.appendChild(el('li', { class: 'note', text: emptyText || text.nothing_yet }));
  items.forEach((item) => list.appendChild(render(item)));
  list.setAttribute('aria-busy', 'false');
}

/** Replaces a description list's rows; rows without a value are left out. */
export function pairs(dl: HTMLElement, rows: ReadonlyArray<readonly [string, string | number | null | undefined]>): void {
  dl.textContent = '';
  rows.forEach((row) => {
    if (row[1] === null || row[1] === undefined || row[1] === '') return;
    dl.appendChild(el('dt', { text: row[0] }));
    dl.appendChild(el('dd', { text: String(row[1]) }));
  });
  dl.setAttribute('aria-busy', 'false');
}

/** Disables a form's submit button while its request runs. */
export function busy<T>(form: HTMLFormElement, promise: Promise<T>): Promise<T> {
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (button) button.disabled = true;
  return promise.then(
    (value) => {
      if (button) button.disabled = false;
      return value;
    },
    (error: unknown) => {
      if (button) button.disabled = false;
      throw error;
    },
  );
}
