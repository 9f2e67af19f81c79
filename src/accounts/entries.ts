import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { inJson } from '../db/dialect.js';
import { formatPoints } from '../ledger/amount.js';

/** What a statement line is for, as a person would say it: the activity and when it happened, or what was bought where. */
export interface EntryAbout {
  /** The activity's name in both languages, for a credit or revocation of a claim. */
  activity: { zh: string; en: string } | null;
  /** When the activity happened (not when it was recorded). */
  occurred_at: string | null;
  event_title: string | null;
  /** The reward and the shop, for a redemption, a capture or its refund. */
  reward_name: string | null;
  merchant_name: string | null;
}

/** One line of a statement: a posting with the balance it left. */
export interface EntryView {
  seq: number;
  transaction_id: string;
  kind: string;
  memo: string | null;
  created_at: string;
  amount: string;
  balance_after: string;
  about: EntryAbout | null;
}

/**
 * What each transaction on a member's statement is about: its claim (a
 * roster's one transaction credits many members; the member's own claim is
 * the one meant) or its redemption (a refund through the transaction it
 * reverses). Two queries per page, whatever its length.
 */
async function aboutMemberLines(db: Db, memberId: string, txIds: readonly string[]): Promise<Map<string, EntryAbout>> {
  const claims = await sql<{ tx_id: string; name_zh: string; name_en: string; occurred_at: string; title: string | null }>`
    SELECT d.tx_id, a.name_zh, a.name_en, c.occurred_at, e.title
    FROM claim_decisions d
    JOIN claims c ON c.id = d.claim_id
    JOIN activity_types a ON a.code = c.activity_code AND a.version = c.activity_version
    LEFT JOIN events e ON e.id = c.event_id
    WHERE d.tx_id IN ${inJson(db, txIds)} AND c.member_id = ${memberId}`.execute(db);
  const redemptions = await sql<{ tx_id: string; reward_name: string; merchant_name: string }>`
    SELECT t.id AS tx_id, w.name AS reward_name, m.name AS merchant_name
    FROM transactions t
    JOIN redemptions r ON r.tx_id = coalesce(t.reverses_id, t.id)
    JOIN rewards w ON w.id = r.reward_id
    JOIN merchants m ON m.id = r.merchant_id
    WHERE t.id IN ${inJson(db, txIds)} AND r.member_id = ${memberId}`.execute(db);
  const about = new Map<string, EntryAbout>();
  for (const c of claims.rows) {
    about.set(c.tx_id, { activity: { zh: c.name_zh, en: c.name_en }, occurred_at: c.occurred_at, event_title: c.title, reward_name: null, merchant_name: null });
  }
  for (const r of redemptions.rows) {
    about.set(r.tx_id, { activity: null, occurred_at: null, event_title: null, reward_name: r.reward_name, merchant_name: r.merchant_name });
  }
  return about;
}

/**
 * A page of an account's statement, newest first. Keyset pagination on
 * (account_id, seq) — the cursor is the last seq shown — so a page costs the
 * same on the millionth entry as on the first; the running balance is the
 * stored `balance_after`, not a sum from the start.
 */
export async function statementPage(
  db: Db,
  accountId: string,
  page: { limit: number; beforeSeq?: number; from?: string; to?: string; kind?: string },
): Promise<{ items: EntryView[]; next_cursor: string | null }> {
  let query = db
    .selectFrom('postings as p')
    .innerJoin('transactions as t', 't.seq', 'p.seq')
    .select(['p.seq', 'p.tx_id', 't.kind', 't.memo', 'p.created_at', 'p.amount', 'p.balance_after'])
    .where('p.account_id', '=', accountId)
    .orderBy('p.seq', 'desc')
    .limit(page.limit + 1);
  if (page.beforeSeq !== undefined) query = query.where('p.seq', '<', page.beforeSeq);
  if (page.from) query = query.where('p.created_at', '>=', page.from);
  if (page.to) query = query.where('p.created_at', '<', page.to);
  if (page.kind) query = query.where('t.kind', '=', page.kind);
  const rows = await query.execute();
  const shown = rows.slice(0, page.limit);
  const owner = await db.selectFrom('members').select('id').where('account_id', '=', accountId).executeTakeFirst();
  const about = owner ? await aboutMemberLines(db, owner.id, shown.map((r) => r.tx_id)) : new Map<string, EntryAbout>();
  const items = shown.map((r) => ({
    seq: r.seq,
    transaction_id: r.tx_id,
    kind: r.kind,
    memo: r.memo,
    created_at: r.created_at,
    amount: formatPoints(r.amount),
    balance_after: formatPoints(r.balance_after),
    about: about.get(r.tx_id) ?? null,
  }));
  const last = items.at(-1);
  return { items, next_cursor: rows.length > page.limit && last ? String(last.seq) : null };
}

/**
 * Posted balance of an account at an instant: the running balance of its
 * last posting at or before it (an indexed lookup, no sum from the start).
 */
export async function balanceAt(db: Db, accountId: string, at: string): Promise<{ posted: string; as_of_seq: number | null }> {
  const row = await db
    .selectFrom('postings')
    .select(['balance_after', 'seq'])
    .where('account_id', '=', accountId)
    .where('created_at', '<=', at)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { posted: formatPoints(row?.balance_after ?? 0), as_of_seq: row?.seq ?? null };
}
