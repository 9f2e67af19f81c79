import type { TextKey } from './i18n.js';

/** The text lookup a page body is rendered with. */
export type T = (key: TextKey, vars?: Record<string, string | number>) => string;
