import { AppError, refuse, unavailable } from '../errors.js';
import { isPgConnectionFault } from './postgres-errors.js';
import { CHAIN_WORDS, SCHEMA_WORDS, STALE_WORDS, UNIQUE_COLUMNS, type SchemaWord } from '../refusals/index.js';

/** Raised by the executor when the chain head moved: the write is rebuilt and retried. */
export class ChainConflict extends Error {
  constructor() {
    super('chain_conflict');
    this.name = 'ChainConflict';
  }
}

/**
 * Raised when a guard on derived state (a cap total) shows that what the
 * write was computed from changed underneath it: recompute and try again.
 */
export class StaleRead extends Error {
  constructor() {
    super('stale_read');
    this.name = 'StaleRead';
  }
}

/** Raised when an idempotency key was stored by a concurrent request first. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency_key_taken');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** A claim for something longer ago than the programme accepts (the number of days when known). */
export const claimTooOld = (days?: number) =>
  days === undefined
    ? refuse('claim_too_old')
    : refuse('claim_too_old', `This happened more than ${days} days ago; an admin can still record it as a back-fill, with a reason`);

/** The refusal a schema guard's word stands for, for a route that checks the same rule first (one code, one text). */
export function guardRefusal(word: SchemaWord): AppError {
  const meaning = SCHEMA_WORDS.get(word)!;
  return refuse(meaning.code, meaning.detail);
}

// A schema word as a whole word: better-sqlite3 reports the bare RAISE message; D1 wraps it
// ("D1_ERROR: insufficient_funds: SQLITE_CONSTRAINT").
const anyWord = (words: Iterable<string>) => new RegExp(`\\b(${[...words].join('|')})\\b`);
const CHAIN_CONFLICT = anyWord(CHAIN_WORDS);
const STALE = anyWord(STALE_WORDS);
const REFUSAL_WORD = anyWord(SCHEMA_WORDS.keys());

// better-sqlite3 reports these as messages and codes; D1 wraps the same
// SQLite words, and names its own transient faults (overload, a reset
// object, a lost connection, the database at its size limit).
const RESOURCE_FAULT = new RegExp(
  [
    'SQLITE_BUSY', 'SQLITE_LOCKED', 'database is locked', 'database table is locked',
    'SQLITE_FULL', 'database or disk is full', 'SQLITE_IOERR', 'disk I/O error',
    'D1 DB is overloaded', 'Network connection lost', 'transient issue', 'D1 DB reset',
    'storage operation exceeded', 'Exceeded maximum DB size',
  ].join('|'),
  'i',
);

/**
 * Turns a database error from either backend into what it means: a chain
 * conflict to retry, an idempotency race to replay, a refusal for the caller,
 * or (returned unchanged) a bug.
 */
export function translateDbError(error: unknown): unknown {
  const message = error instanceof Error ? `${error.message} ${(error as { code?: unknown }).code ?? ''}` : String(error);
  if (CHAIN_CONFLICT.test(message) || /UNIQUE constraint failed: transactions\.(seq|hash)/.test(message)) {
    return new ChainConflict();
  }
  if (/UNIQUE constraint failed: idempotency_keys\./.test(message)) return new IdempotencyKeyTaken();
  // expiry_exceeds_due: the amount was computed before another sweep expired the same points.
  // auto_approval_threshold: another auto-approval for the member, activity and day came first.
  if (STALE.test(message) || /UNIQUE constraint failed: card_uses/.test(message)) {
    return new StaleRead();
  }
  // The schema's words and constraint names mean what the catalogue (src/refusals/) says; redeem_rate_limited's
  // Retry-After is added by the caller that ran the gate, from its configured window (src/rewards/redeem-attempts.ts).
  const word = REFUSAL_WORD.exec(message)?.[1];
  if (word) return guardRefusal(word as SchemaWord);
  const unique = UNIQUE_COLUMNS.find(([columns]) => message.includes(columns));
  if (unique) return refuse(unique[1]);
  if (/FOREIGN KEY constraint failed/.test(message)) return refuse('unknown_reference');
  // Resource faults (locked by another writer, disk full, I/O): nothing was
  // written, and a retry may well succeed once the fault clears.
  if (RESOURCE_FAULT.test(message)) {
    return unavailable('storage_unavailable');
  }
  return error;
}

/**
 * A read that failed because the database could not be reached (PostgreSQL
 * down, restarting, out of connections): 503 with Retry-After, not a 500.
 * Null for anything else, which stays a bug.
 */
export function storageFault(error: unknown): AppError | null {
  return isPgConnectionFault(error) ? databaseUnreachable() : null;
}

/** 503 with Retry-After: the database server cannot be reached, or is shutting down or starting. */
export const databaseUnreachable = () => unavailable('storage_unavailable', 'The database cannot be reached; retry shortly', 2);
