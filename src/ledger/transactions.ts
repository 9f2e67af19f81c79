import { sql, type CompiledQuery } from 'kysely';
import type { Database, Db } from '../db/types.js';
import { jsonRows } from '../db/dialect.js';
import type { ChainHead } from '../db/executor.js';
import { refuse, refused } from '../errors.js';
import { newId } from '../ids.js';
import { hashTransaction, inCanonicalOrder } from './hash.js';
import { MAX_AMOUNT } from './amount.js';
import { textFault } from './text.js';

/** One leg of a transaction: a signed integer amount of hundredths on one account. */
export interface Posting {
  account_id: string;
  amount: number;
}

/** What a caller asks the ledger to record. */
export interface TransactionSpec {
  /** Chosen by the caller when other statements of the write must name it. */
  id?: string;
  kind: string;
  actor: string;
  memo?: string | null;
  ref_type?: string | null;
  ref_id?: string | null;
  reverses_id?: string | null;
  created_at: string;
  postings: readonly Posting[];
}

/** A transaction as recorded: the spec plus its place in the chain. */
export type RecordedTransaction = Database['transactions'] & { postings: Posting[] };

/**
 * Refuses postings that cannot form a transaction: fewer than two, an amount
 * that is zero or not a safe integer, an account named twice, or a non-zero sum.
 */
export function checkPostings(postings: readonly Posting[]): void {
  if (postings.length < 2) throw refused('too_few_postings');
  const seen = new Set<string>();
  let sum = 0;
  for (const { account_id, amount } of postings) {
    if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_AMOUNT) {
      throw refused('invalid_amount', `Posting amount for ${account_id} must be a non-zero whole number of hundredths`);
    }
    if (seen.has(account_id)) throw refused('duplicate_account', `Account ${account_id} appears twice in one transaction`);
    seen.add(account_id);
    sum += amount;
  }
  // Also a guard in the schema, at the seal after every posting's own guards: checked first so it is the answer.
  if (sum !== 0) throw refuse('unbalanced_transaction');
}

/**
 * Refuses a transaction whose text the database could not store exactly as it
 * is hashed (src/ledger/text.ts). Requests are checked on the way in; this is
 * the last line, for text from anywhere else (a token's subject, a job).
 */
function checkHashedText(spec: TransactionSpec): void {
  for (const field of ['kind', 'actor', 'memo', 'ref_type', 'ref_id', 'reverses_id', 'created_at', 'id'] as const) {
    const value = spec[field];
    const fault = typeof value === 'string' ? textFault(value) : null;
    if (fault) throw refuse('invalid_text', `The transaction's ${field} ${fault}`);
  }
  for (const { account_id } of spec.postings) {
    const fault = textFault(account_id);
    if (fault) throw refuse('invalid_text', `An account id ${fault}`);
  }
}

/**
 * Compiles the statements that append one balanced transaction after `head`:
 * the transaction row (checked against the head by the schema), `between`
 * (statements that must run before the postings, e.g. releasing a hold), the
 * postings in one set-based statement, and the seal that re-checks the sum.
 */
export function appendTransaction(
  db: Db,
  head: ChainHead,
  spec: TransactionSpec,
  between: readonly CompiledQuery[] = [],
): { statements: CompiledQuery[]; transaction: RecordedTransaction; head: ChainHead } {
  checkPostings(spec.postings);
  checkHashedText(spec);
  const transaction: Omit<RecordedTransaction, 'hash'> = {
    id: spec.id ?? newId('tx'),
    seq: head.seq + 1,
    kind: spec.kind,
    actor: spec.actor,
    memo: spec.memo ?? null,
    ref_type: spec.ref_type ?? null,
    ref_id: spec.ref_id ?? null,
    reverses_id: spec.reverses_id ?? null,
    created_at: spec.created_at,
    prev_hash: head.hash,
    // Inserted in the canonical order, so that verification reads them in it.
    postings: inCanonicalOrder(spec.postings).map((p) => ({ account_id: p.account_id, amount: p.amount })),
  };
  const hash = hashTransaction(head.hash, transaction);
  const { postings, ...row } = transaction;
  // SQL text rather than the builder for the two fixed inserts: every ledger write compiles them.
  const statements = [
    sql`INSERT INTO transactions (id, seq, kind, actor, memo, ref_type, ref_id, reverses_id, created_at, prev_hash, hash)
        VALUES (${row.id}, ${row.seq}, ${row.kind}, ${row.actor}, ${row.memo}, ${row.ref_type}, ${row.ref_id}, ${row.reverses_id},
                ${row.created_at}, ${row.prev_hash}, ${hash})`.compile(db),
    ...between,
    // One statement whatever the number of postings (D1 caps bound parameters
    // at 100); balance_after is read from the account as the row goes in.
    sql`INSERT INTO postings (tx_id, seq, account_id, amount, balance_after, created_at)
        SELECT ${row.id}, ${row.seq}, j.value ->> 0, CAST(j.value ->> 1 AS BIGINT),
               (SELECT a.posted FROM accounts a WHERE a.id = j.value ->> 0) + CAST(j.value ->> 1 AS BIGINT),
               ${row.created_at}
        FROM ${jsonRows(db, JSON.stringify(postings.map((p) => [p.account_id, p.amount])), 'j')}`.compile(db),
    sql`INSERT INTO transaction_seals (tx_id) VALUES (${row.id})`.compile(db),
  ];
  return { statements, transaction: { ...transaction, hash }, head: { seq: row.seq, hash } };
}

/** The postings that undo `original`: every amount negated. */
export function reversingPostings(original: readonly Posting[]): Posting[] {
  return original.map((p) => ({ account_id: p.account_id, amount: -p.amount }));
}
