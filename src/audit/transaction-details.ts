import { sql } from 'kysely';
import { z } from '@hono/zod-openapi';
import type { Db } from '../db/types.js';
import { inJson } from '../db/dialect.js';
import { memberNumberText } from '../members/member-number.js';
import { PostingView, TransactionView } from '../accounts/schemas.js';
import type { transactionView } from '../ledger/read.js';

type Viewed = ReturnType<typeof transactionView>;

/** At most this many claim ids are listed on one transaction (a roster's credit may pay hundreds); `claim_count` has them all. */
export const CLAIM_IDS_SHOWN = 20;

const Who = z
  .object({
    name: z.string().nullable().openapi({ description: "A member's display name, a shop's or an org's name" }),
    member_no: z.string().nullable().openapi({ description: "The member's number, for a member" }),
  })
  .openapi('AuditWho');

// Spelled out from the shared shapes (not .extend, which the OpenAPI document would write as an allOf).

/** A posting with its account as people know it. */
export const AuditPosting = z.object({
  ...PostingView.shape,
  account_kind: z.string().openapi({ description: 'issuance, budget, worker, merchant, settled or expired' }),
  owner_id: z.string().nullable().openapi({ description: 'The member, merchant or org the account belongs to; null for the programme’s own accounts' }),
  owner: Who.nullable().openapi({ description: 'Who owns the account, by name (and number, for a member)' }),
}).openapi('AuditPosting');

/** A transaction as the auditor's search shows it: named postings and the records it came from. */
export const AuditTransaction = z.object({
  ...TransactionView.shape,
  postings: z.array(AuditPosting),
  actor_who: Who.nullable().openapi({ description: 'The actor by name, where its subject is a member or a merchant' }),
  claim_ids: z.array(z.string()).openapi({ description: `Claims this credit or revocation decided (at most ${CLAIM_IDS_SHOWN}; GET /v1/claims/{id})` }),
  claim_count: z.number().int().openapi({ description: 'How many claims it decided in all' }),
  redemption_id: z.string().nullable().openapi({ description: 'The redemption this redemption, pickup or refund belongs to (GET /v1/redemptions/{id})' }),
  reversed_by: z.string().nullable().openapi({ description: 'The transaction that reversed this one, if any' }),
}).openapi('AuditTransaction');

// A subject (the part of an actor after its role) may name a member or a merchant: a worker's session
// is its member id; a development token's subject ends with the scope's id ("dev:worker:<id>").
const subjectIds = (actor: string): string[] => {
  const subject = actor.slice(actor.indexOf(':') + 1);
  const last = subject.slice(subject.lastIndexOf(':') + 1);
  return last === subject ? [subject] : [subject, last];
};

/**
 * Names every account of a page of transactions and links each to the
 * records behind it: the claims its credit or revocation decided
 * (claim_decisions.tx_id), the redemption of a redemption, pickup or refund
 * (redemptions.tx_id, refunds.tx_id), and the transaction that reversed it.
 * Five queries, however long the page.
 */
export async function describeTransactions(db: Db, items: readonly Viewed[]): Promise<Array<z.infer<typeof AuditTransaction>>> {
  if (items.length === 0) return [];
  const txIds = items.map((t) => t.id);
  const accountIds = items.flatMap((t) => t.postings.map((p) => p.account_id));
  const subjects = items.flatMap((t) => subjectIds(t.actor));
  const [accounts, claims, redemptions, reversals, actors] = await Promise.all([
    sql<{ id: string; kind: string; owner_id: string | null; name: string | null; member_no: number | null }>`
      SELECT a.id, a.kind, a.owner_id, coalesce(m.display_name, mc.name, o.name) AS name, m.member_no
      FROM accounts a
      LEFT JOIN members m ON a.kind = 'worker' AND m.id = a.owner_id
      LEFT JOIN merchants mc ON a.kind = 'merchant' AND mc.id = a.owner_id
      LEFT JOIN orgs o ON a.kind = 'budget' AND o.id = a.owner_id
      WHERE a.id IN ${inJson(db, new Set(accountIds))}`.execute(db),
    sql<{ tx_id: string; claim_id: string }>`
      SELECT tx_id, claim_id FROM claim_decisions WHERE tx_id IN ${inJson(db, new Set(txIds))} ORDER BY tx_id, claim_id`.execute(db),
    sql<{ tx_id: string; redemption_id: string }>`
      SELECT tx_id, id AS redemption_id FROM redemptions WHERE tx_id IN ${inJson(db, new Set(txIds))}
      UNION ALL SELECT tx_id, redemption_id FROM refunds WHERE tx_id IN ${inJson(db, new Set(txIds))}`.execute(db),
    sql<{ id: string; reverses_id: string }>`SELECT id, reverses_id FROM transactions WHERE reverses_id IN ${inJson(db, new Set(txIds))}`.execute(db),
    sql<{ id: string; name: string | null; member_no: number | null }>`
      SELECT id, display_name AS name, member_no FROM members WHERE id IN ${inJson(db, new Set(subjects))}
      UNION ALL SELECT id, name, NULL FROM merchants WHERE id IN ${inJson(db, new Set(subjects))}`.execute(db),
  ]);
  const who = (row: { name: string | null; member_no: number | null }) => ({ name: row.name, member_no: row.member_no === null ? null : memberNumberText(row.member_no) });
  const accountOf = new Map(accounts.rows.map((a) => [a.id, a]));
  const claimsOf = new Map<string, string[]>();
  for (const c of claims.rows) claimsOf.set(c.tx_id, [...(claimsOf.get(c.tx_id) ?? []), c.claim_id]);
  const redemptionOf = new Map(redemptions.rows.map((r) => [r.tx_id, r.redemption_id]));
  const reversedBy = new Map(reversals.rows.map((r) => [r.reverses_id, r.id]));
  const actorOf = new Map(actors.rows.map((a) => [a.id, a]));
  return items.map((t) => {
    const account = (id: string) => accountOf.get(id);
    const actor = subjectIds(t.actor).map((id) => actorOf.get(id)).find((a) => a !== undefined);
    const claimIds = claimsOf.get(t.id) ?? [];
    return {
      ...t,
      postings: t.postings.map((p) => {
        const a = account(p.account_id);
        return {
          ...p,
          account_kind: a?.kind ?? 'unknown',
          owner_id: a?.owner_id ?? null,
          owner: a && a.owner_id !== null ? who(a) : null,
        };
      }),
      actor_who: actor ? who(actor) : null,
      claim_ids: claimIds.slice(0, CLAIM_IDS_SHOWN),
      claim_count: claimIds.length,
      redemption_id: redemptionOf.get(t.id) ?? null,
      reversed_by: reversedBy.get(t.id) ?? null,
    };
  });
}
