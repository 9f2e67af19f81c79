import { badRequest } from '../errors.js';

// The lists of API.md page with `?limit=&cursor=` and answer `{ items, next_cursor }`. A cursor
// names the last row of the previous page: its seq (ledger lists) or its id (directory lists,
// whose sort key the query reads back from that row, so a cursor stays short whatever the key).

const ID_CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const SEQ_CURSOR = /^[1-9]\d{0,15}$/;

/** The row id a directory list's cursor names, or undefined for the first page; 400 invalid_cursor when it is no id. */
export function idCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!ID_CURSOR.test(cursor)) throw badRequest('invalid_cursor');
  return cursor;
}

/** The seq a ledger list's cursor names, or undefined for the first page; 400 invalid_cursor when it is no seq. */
export function seqCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!SEQ_CURSOR.test(cursor)) throw badRequest('invalid_cursor');
  return Number(cursor);
}

/** The page of `limit` rows out of `limit + 1` fetched, and the cursor of its last row when more follow. */
export function pageOf<T>(rows: readonly T[], limit: number, cursorOf: (row: T) => string): { rows: T[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
