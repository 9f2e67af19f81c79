import { sql } from 'kysely';
import type { AppDeps } from '../deps.js';
import type { Db } from '../db/types.js';
import type { ProgrammeRules } from '../config/schema.js';
import { EXPIRED_ACCOUNT } from '../ledger/accounts.js';
import { formatPoints } from '../ledger/amount.js';
import { appendTransaction } from '../ledger/transactions.js';
import type { CompiledQuery } from 'kysely';
import type { ChainHead } from '../db/executor.js';
import { StaleRead } from '../db/errors.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { startOfLocalYear, yearOf } from '../ledger/programme-time.js';

const DAY_MS = 86_400_000;
/** Most members expired in one write. */
const EXPIRY_BATCH = 100;

/**
 * Credits made before this instant have expired at `now`: N days before it,
 * or (end of the calendar year after earning) the start of last year, in
 * programme time. Null when points never expire.
 */
export function expiryCutoff(policy: ProgrammeRules['pointsExpiry'], now: Date, utcOffsetMinutes: number): string | null {
  if (policy === 'never') return null;
  // A credit expires at the instant expiresAt() gives, inclusive: "before the
  // cutoff" is "at or before now − N days" (one millisecond, the clock's grain).
  if (policy.startsWith('days:')) return new Date(now.getTime() - Number(policy.slice(5)) * DAY_MS + 1).toISOString();
  return startOfLocalYear(yearOf(now, utcOffsetMinutes) - 1, utcOffsetMinutes);
}

/** When a credit made at `at` expires under the policy (null: never). */
export function expiresAt(policy: ProgrammeRules['pointsExpiry'], at: string, utcOffsetMinutes: number): string | null {
  if (policy === 'never') return null;
  if (policy.startsWith('days:')) return new Date(Date.parse(at) + Number(policy.slice(5)) * DAY_MS).toISOString();
  return startOfLocalYear(yearOf(at, utcOffsetMinutes) + 2, utcOffsetMinutes);
}

/**
 * Points due to expire now, per worker account. Under first-expiring-first
 * spending the amount expired by T is max(0, credits expiring by T − all
 * debits so far) — debits include earlier expiries, so this is idempotent —
 * and no per-lot bookkeeping is needed when points are spent. Capped at what
 * is available (held points wait for their hold to resolve).
 */
export async function dueExpiries(db: Db, cutoff: string): Promise<Array<{ account_id: string; amount: number }>> {
  const { rows } = await sql<{ account_id: string; due: number; available: number }>`
    SELECT p.account_id,
           sum(CASE WHEN p.amount > 0 AND p.created_at < ${cutoff} THEN p.amount ELSE 0 END)
             - sum(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END) AS due,
           a.posted - a.held AS available
    FROM postings p JOIN accounts a ON a.id = p.account_id
    WHERE a.kind = 'worker'
    GROUP BY p.account_id, a.posted, a.held
    HAVING sum(CASE WHEN p.amount > 0 AND p.created_at < ${cutoff} THEN p.amount ELSE 0 END)
             - sum(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END) > 0
       AND a.posted - a.held > 0`.execute(db);
  return rows.map((r) => ({ account_id: r.account_id, amount: Math.min(Number(r.due), Number(r.available)) }));
}

/** Writes of one sweep that found their amounts stale before it gives up until the next sweep. */
const STALE_RETRIES = 3;

/**
 * Posts one expiry transaction per member with points due, in writes of up to
 * 100 members. Each names the boundary it expires through, and the schema
 * refuses an amount above what is due at the moment it is written; so when
 * another sweep (an overlapping tick, another isolate) or a spend got there
 * first, the amounts are read again and what is still due is posted.
 * @returns how many members' points expired in this sweep
 */
export async function expirePoints(deps: Pick<AppDeps, 'db' | 'executor' | 'clock' | 'programme'>): Promise<number> {
  const now = deps.clock();
  const cutoff = expiryCutoff(deps.programme.pointsExpiry, now, deps.programme.utcOffsetMinutes);
  if (!cutoff) return 0;
  let due = await dueExpiries(deps.db, cutoff);
  let expired = 0;
  let stale = 0;
  while (due.length > 0) {
    const slice = due.slice(0, EXPIRY_BATCH);
    try {
      await deps.executor.write((head) => expiryBatch(deps.db, head, slice, cutoff, now.toISOString()));
    } catch (error) {
      if (!isStale(error) || ++stale > STALE_RETRIES) throw error;
      due = await dueExpiries(deps.db, cutoff);
      continue;
    }
    expired += slice.length;
    due = due.slice(EXPIRY_BATCH);
  }
  return expired;
}

/** A write computed from reads that changed before it ran: the schema's expiry bound, or a spend that took the points. */
function isStale(error: unknown): boolean {
  return error instanceof StaleRead || (error instanceof AppError && error.code === 'insufficient_funds');
}

/** Compiles the expiry transactions of some members, each with the boundary the schema checks it against. */
function expiryBatch(db: Db, head: ChainHead, slice: ReadonlyArray<{ account_id: string; amount: number }>, cutoff: string, now: string) {
  let current: ChainHead = head;
  const statements: CompiledQuery[] = [];
  for (const { account_id, amount } of slice) {
    const id = newId('tx');
    const bound = db.insertInto('points_expiries').values({ tx_id: id, account_id, expires_through: cutoff, created_at: now }).compile();
    const appended = appendTransaction(
      db,
      current,
      {
        id,
        kind: 'points_expiry',
        actor: 'system:expiry',
        memo: `points earned before ${cutoff} expired`,
        ref_type: 'account',
        ref_id: account_id,
        created_at: now,
        postings: [
          { account_id, amount: -amount },
          { account_id: EXPIRED_ACCOUNT, amount },
        ],
      },
      [bound],
    );
    statements.push(...appended.statements);
    current = appended.head;
  }
  return { statements, head: current, result: null };
}

/**
 * What will expire when, for one account: for each future expiry date of its
 * credits, the amount that will lapse then unless spent first.
 */
export async function expirySchedule(db: Db, accountId: string, policy: ProgrammeRules['pointsExpiry'], now: Date, utcOffsetMinutes: number) {
  if (policy === 'never') return [];
  const credits = await db.selectFrom('postings').select(['amount', 'created_at']).where('account_id', '=', accountId).where('amount', '>', 0).orderBy('created_at').execute();
  const debits = await db.selectFrom('postings').select((eb) => eb.fn.sum<number>('amount').as('d')).where('account_id', '=', accountId).where('amount', '<', 0).executeTakeFirst();
  let remainingDebits = -Number(debits?.d ?? 0);
  const byDate = new Map<string, number>();
  for (const credit of credits) {
    const when = expiresAt(policy, credit.created_at, utcOffsetMinutes)!;
    const left = Math.max(0, credit.amount - remainingDebits);
    remainingDebits = Math.max(0, remainingDebits - credit.amount);
    if (left > 0 && when > now.toISOString()) byDate.set(when, (byDate.get(when) ?? 0) + left);
  }
  return [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([expires_at, amount]) => ({ expires_at, amount: formatPoints(amount) }));
}
