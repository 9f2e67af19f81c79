import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

// The few places where SQLite (better-sqlite3, D1) and PostgreSQL need
// different SQL text. Everything else is written once in SQL both accept:
// `v ->> 'field'` and `v ->> 0` read JSON on both, CAST(x AS BIGINT) and
// CAST(x AS TEXT) convert on both. The parameters are the same on both
// engines; only the text differs.

/** True when `db` runs on PostgreSQL (better-sqlite3 and D1 use Kysely's SqliteAdapter). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A JSON text (a parameter or a column) as PostgreSQL's jsonb; PostgreSQL sends parameters untyped. */
const asJsonb = (json: unknown) => sql`CAST(${json} AS jsonb)`;

/**
 * The elements of a JSON array as a FROM item `alias(value, key)`: each
 * `value` is JSON, read with `alias.value ->> 'field'` or `->> 0` (text on
 * PostgreSQL: cast it); `key` orders the rows as in the array.
 * @example sql`SELECT j.value ->> 'id' FROM ${jsonRows(db, JSON.stringify(rows), 'j')}`
 */
export function jsonRows(db: Kysely<any>, json: string | RawBuilder<unknown>, alias: string): RawBuilder<unknown> {
  if (isPostgres(db)) return sql`jsonb_array_elements(${asJsonb(json)}) WITH ORDINALITY AS ${sql.id(alias)}(value, key)`;
  return sql`json_each(${json}) AS ${sql.id(alias)}`;
}

/** The elements of a JSON array of strings as a FROM item `alias(value, key)`, each `value` a string. */
export function jsonTexts(db: Kysely<any>, json: string | RawBuilder<unknown>, alias: string): RawBuilder<unknown> {
  if (isPostgres(db)) return sql`jsonb_array_elements_text(${asJsonb(json)}) WITH ORDINALITY AS ${sql.id(alias)}(value, key)`;
  return sql`json_each(${json}) AS ${sql.id(alias)}`;
}

/**
 * A list of strings as one parameter, for `column IN (…)`: one statement
 * whatever the length (SQLite caps the number of parameters).
 * @example db.selectFrom('claims').where('id', 'in', inJson(db, ids))
 */
export function inJson(db: Kysely<any>, values: Iterable<string>): RawBuilder<string> {
  return sql<string>`(SELECT value FROM ${jsonTexts(db, JSON.stringify([...values]), 'j')})`;
}

/** A list of integers as one parameter, for `column IN (…)` on an integer column. */
export function inJsonIntegers(db: Kysely<any>, values: Iterable<number>): RawBuilder<number> {
  const json = JSON.stringify([...values]);
  if (isPostgres(db)) return sql<number>`(SELECT CAST(value AS BIGINT) FROM ${jsonTexts(db, json, 'j')})`;
  return sql<number>`(SELECT value FROM json_each(${json}))`;
}

/**
 * The values of `expression` over a group as a JSON array, as text on both
 * engines (node-postgres would parse a json column into an array).
 * `expression` may start with DISTINCT.
 */
export function jsonArrayAgg(db: Kysely<any>, expression: RawBuilder<unknown>): RawBuilder<string> {
  if (isPostgres(db)) return sql<string>`CAST(json_agg(${expression}) AS TEXT)`;
  return sql<string>`json_group_array(${expression})`;
}

/** A JSON object of named SQL values, as text on both engines. */
export function jsonObject(db: Kysely<any>, entries: ReadonlyArray<readonly [string, RawBuilder<unknown>]>): RawBuilder<string> {
  const pairs = sql.join(entries.map(([name, value]) => sql`CAST(${name} AS TEXT), ${value}`));
  if (isPostgres(db)) return sql<string>`CAST(json_build_object(${pairs}) AS TEXT)`;
  return sql<string>`json_object(${pairs})`;
}

/**
 * The Monday (`YYYY-MM-DD`) of the programme week holding an instant stored
 * as ISO text, in programme time `shift` ('+480 minutes', a parameter on both).
 */
export function localWeekStart(db: Kysely<any>, instant: RawBuilder<unknown>, shift: string): RawBuilder<string> {
  // PostgreSQL: a timestamp without time zone reads the UTC wall time and
  // ignores the 'Z'; date_trunc('week') is the Monday.
  if (isPostgres(db)) return sql<string>`to_char(date_trunc('week', CAST(${instant} AS timestamp) + CAST(${shift} AS interval)), 'YYYY-MM-DD')`;
  // SQLite: 'weekday 0' moves to the coming Sunday (or stays), '-6 days' back to its Monday.
  return sql<string>`date(${instant}, ${shift}, 'weekday 0', '-6 days')`;
}
