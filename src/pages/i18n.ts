import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { zh } from './strings-zh.js';
import { en } from './strings-en.js';

/** Languages of the pages: Chinese by default, English on request. */
export type Lang = 'zh' | 'en';
/** A key of the pages' text. */
export type TextKey = keyof typeof zh;
/** The pages' text in one language. */
export type Strings = Record<TextKey, string>;

const LANG_COOKIE = 'jifen_lang';
const STRINGS: Record<Lang, Strings> = { zh, en };

/**
 * The language of this request: `?lang=` (remembered in a cookie for a year),
 * else the cookie, else Chinese. The browser's Accept-Language is not used:
 * the programme's pages are Chinese unless someone asks otherwise.
 */
export function pickLang(c: Context): Lang {
  const asked = c.req.query('lang');
  if (asked === 'zh' || asked === 'en') {
    setCookie(c, LANG_COOKIE, asked, { path: '/app', maxAge: 365 * 86_400, sameSite: 'Lax' });
    return asked;
  }
  return getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** The text of a language, and a lookup with `{name}` placeholders filled. */
export function stringsFor(lang: Lang) {
  const strings = STRINGS[lang];
  const t = (key: TextKey, vars: Record<string, string | number> = {}) =>
    strings[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
  return { lang, strings, t };
}

/** `lang` attribute values. */
export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };
