/** The sentence a person reads on the pages, in both languages ({name} placeholders allowed). */
export interface Sentence {
  zh: string;
  en: string;
}

/**
 * One refusal, stated once: its HTTP status, the problem title (by status
 * unless given), the API's default `detail`, the pages' sentence, and the
 * schema's words that mean it.
 */
export interface RefusalEntry {
  status: number;
  title?: string;
  /** The problem's `detail` when the thrower gives none (and for a schema word without its own). */
  detail: string;
  /** What the pages show; without one, the pages show the sentence of the status. */
  page?: Sentence;
  /** `RAISE(ABORT, 'word')` messages and CHECK constraint names, each with its own detail or null for the entry's. */
  schema?: Record<string, string | null>;
  /** UNIQUE constraint columns, as SQLite names them in "UNIQUE constraint failed: <columns>". */
  unique?: readonly string[];
}

/** Titles by status, so a title is stated once per status. */
export const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};
