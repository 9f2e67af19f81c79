/**
 * What the console's pages share: the org tree, read once and offered in
 * every org picker (indented by depth), and the reading of a form's fields.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { byId, el } from './dom.js';
import { hundredths, points } from './format.js';
import { t, text } from './page-text.js';

export type OrgNode = components['schemas']['OrgNode'];

/** An org with its place in the tree. */
export interface Org {
  id: string;
  name: string;
  kind: OrgNode['kind'];
  depth: number;
  budget_account_id: string;
  parent_id: string | null;
}

/** Every org the caller may see, in tree order (a parent before its children). */
export async function loadOrgs(): Promise<Org[]> {
  const orgs: Org[] = [];
  const walk = (nodes: OrgNode[]) =>
    nodes.forEach((n) => {
      orgs.push({ id: n.id, name: n.name, kind: n.kind, depth: n.depth, budget_account_id: n.budget_account_id, parent_id: n.parent_id });
      walk(n.children);
    });
  let cursor: string | undefined;
  do {
    const page = await ok(api.GET('/v1/orgs', { params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } } }));
    walk(page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return orgs;
}

/** An org's name indented by its depth, for a picker. */
export function indented(org: Org): string {
  return '\u3000'.repeat(org.depth) + org.name;
}

/** Fills every org picker of the page (`select[data-orgs]`), keeping its "any" option and choice. */
export function fillOrgPickers(orgs: readonly Org[]): void {
  document.querySelectorAll<HTMLSelectElement>('select[data-orgs]').forEach((select) => {
    const chosen = select.value;
    Array.from(select.options).forEach((o) => o.value && o.remove());
    orgs.forEach((org) => select.appendChild(el('option', { value: org.id, text: indented(org) })));
    if (chosen) select.value = chosen;
  });
}

/** The trimmed value of a field. */
export function value(id: string): string {
  return byId<HTMLInputElement>(id).value.trim();
}

/** Points typed by a person ("500", "12.5"; "-20" too where `signed`) as the API writes them, or null. */
export function typedPoints(id: string, signed = false): string | null {
  const n = hundredths(value(id).replace(/^\+/, ''));
  if (!Number.isInteger(n) || n === 0 || (!signed && n < 0)) return null;
  return points(n);
}

/** A whole number typed by a person, or null (and NaN when it is not one). */
export function typedCount(id: string): number | null {
  const raw = value(id);
  if (!raw) return null;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
}

/** An Error whose message is the page's words for a field that is not filled in right; focuses the field. */
export function badField(id: string): Error {
  byId(id).focus();
  return new Error(text.err_validation_failed);
}

/** The role and subject of an actor ("admin:ops-1"), in words. */
export function actorWords(actor: string): string {
  const [role, ...rest] = actor.split(':');
  return `${t('role_' + role)} ${rest.join(':')}`.trim();
}
