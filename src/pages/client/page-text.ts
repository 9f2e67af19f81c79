import type { zh } from '../strings-zh.js';

/** The page's text, as the server rendered it into #jifen-text. */
export type PageText = Record<keyof typeof zh, string>;

/** The page's text in its language. */
export const text = JSON.parse(document.getElementById('jifen-text')!.textContent ?? '{}') as PageText;
/** The page's language. */
export const lang: 'zh' | 'en' = document.body.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
/** The locale dates and times are shown in. */
export const locale = lang === 'en' ? 'en-GB' : 'zh-CN';

/** Whether `key` names one of the page's texts (keys may be built at run time, e.g. 'err_' + code). */
export function hasText(key: string): key is keyof PageText {
  return Object.prototype.hasOwnProperty.call(text, key);
}

/** The text under `key` with `{name}` placeholders filled; the key itself when there is no such text. */
export function t(key: string, vars?: Record<string, string | number | null | undefined>): string {
  const s = hasText(key) ? text[key] : key;
  return s.replace(/\{(\w+)\}/g, (all, name: string) =>
    vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : all,
  );
}
