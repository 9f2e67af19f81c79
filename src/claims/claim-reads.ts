import { memberNumberText } from '../members/member-number.js';
import { sql } from 'kysely';
import { z } from '@hono/zod-openapi';
import type { Db } from '../db/types.js';
import { inJson, jsonRows } from '../db/dialect.js';
import { formatPoints } from '../ledger/amount.js';
import type { ClaimRow, DecisionRow } from './claim-writes.js';

export const CLAIM_STATUSES = ['pending', 'approved', 'rejected', 'revoked'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** A claim with the decisions recorded against it. */
export interface ClaimState {
  claim: ClaimRow;
  decision: DecisionRow | undefined;
  revocation: DecisionRow | undefined;
  /** Who the claim is for, as people know them. */
  member: { member_no: number; display_name: string | null } | undefined;
}

/** The status a claim's decisions give it. */
export function statusOf(state: Pick<ClaimState, 'decision' | 'revocation'>): ClaimStatus {
  if (state.revocation) return 'revoked';
  if (!state.decision) return 'pending';
  return state.decision.decision === 'approve' ? 'approved' : 'rejected';
}

/** Reads claims with their decisions (two queries, however many claims). */
export async function loadClaims(db: Db, ids: readonly string[]): Promise<ClaimState[]> {
  if (ids.length === 0) return [];
  const claims = await db
    .selectFrom('claims')
    .selectAll()
    .where('id', 'in', inJson(db, ids))
    .execute();
  const decisions = await db
    .selectFrom('claim_decisions')
    .selectAll()
    .where('claim_id', 'in', inJson(db, ids))
    .execute();
  const members = await db
    .selectFrom('members')
    .select(['id', 'member_no', 'display_name'])
    .where('id', 'in', inJson(db, [...new Set(claims.map((c) => c.member_id))]))
    .execute();
  const memberOf = new Map(members.map((m) => [m.id, m]));
  const byClaim = new Map<string, DecisionRow[]>();
  for (const d of decisions) byClaim.set(d.claim_id, [...(byClaim.get(d.claim_id) ?? []), d]);
  const order = new Map(ids.map((id, i) => [id, i]));
  return claims
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .map((claim) => {
      const list = byClaim.get(claim.id) ?? [];
      return {
        claim,
        decision: list.find((d) => d.decision !== 'revoke'),
        revocation: list.find((d) => d.decision === 'revoke'),
        member: memberOf.get(claim.member_id),
      };
    });
}

/** A claim as the API shows it. */
export function claimView({ claim, decision, revocation, member }: ClaimState) {
  return {
    id: claim.id,
    status: statusOf({ decision, revocation }),
    member_id: claim.member_id,
    member_no: member ? memberNumberText(member.member_no) : null,
    member_name: member?.display_name ?? null,
    org_id: claim.org_id,
    activity_code: claim.activity_code,
    activity_version: claim.activity_version,
    event_id: claim.event_id,
    report_ref: claim.report_ref,
    units: formatPoints(claim.units),
    occurred_at: claim.occurred_at,
    evidence_url: claim.evidence_url,
    evidence_id: claim.evidence_id,
    multiplier: claim.multiplier,
    campaign_id: claim.campaign_id,
    points: formatPoints(claim.points),
    points_credited: decision?.decision === 'approve' ? formatPoints(decision.points_credited) : null,
    points_capped: decision?.decision === 'approve' ? formatPoints(decision.points_capped) : null,
    cap_reason: decision?.cap_reason ?? null,
    transaction_id: decision?.tx_id ?? null,
    decided_by: decision?.decided_by ?? null,
    decided_at: decision?.created_at ?? null,
    reason: decision?.reason ?? null,
    revoked_by: revocation?.decided_by ?? null,
    revoked_at: revocation?.created_at ?? null,
    revocation_reason: revocation?.reason ?? null,
    revocation_transaction_id: revocation?.tx_id ?? null,
    submitted_by: claim.submitted_by,
    created_at: claim.created_at,
  };
}

export const ClaimView = z
  .object({
    id: z.string(),
    status: z.enum(CLAIM_STATUSES),
    member_id: z.string(),
    member_no: z.string().nullable(),
    member_name: z.string().nullable(),
    org_id: z.string(),
    activity_code: z.string(),
    activity_version: z.number().int(),
    event_id: z.string().nullable(),
    report_ref: z.string().nullable(),
    units: z.string(),
    occurred_at: z.string(),
    evidence_url: z.string().nullable(),
    evidence_id: z.string().nullable().openapi({ description: 'Stored photo evidence (GET /v1/evidence/{id})' }),
    multiplier: z.string(),
    campaign_id: z.string().nullable(),
    points: z.string().openapi({ description: 'Points the claim is worth: units × points per unit × campaign multiplier' }),
    points_credited: z.string().nullable().openapi({ description: 'Points credited on approval, after caps' }),
    points_capped: z.string().nullable().openapi({ description: 'Points refused by a daily or monthly cap' }),
    cap_reason: z.string().nullable(),
    transaction_id: z.string().nullable(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    reason: z.string().nullable(),
    revoked_by: z.string().nullable(),
    revoked_at: z.string().nullable(),
    revocation_reason: z.string().nullable(),
    revocation_transaction_id: z.string().nullable(),
    submitted_by: z.string(),
    created_at: z.string(),
  })
  .openapi('Claim');

/** Points already credited per member, activity and period, for clipping by caps. */
export async function creditedTotals(
  db: Db,
  keys: ReadonlyArray<{ member_id: string; activity_code: string; period: string }>,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  if (keys.length === 0) return totals;
  const rows = await sql<{ member_id: string; activity_code: string; period: string; points: number }>`
    SELECT t.member_id, t.activity_code, t.period, t.points FROM earning_totals t
    JOIN (SELECT j.value ->> 'member_id' AS m, j.value ->> 'activity_code' AS c, j.value ->> 'period' AS p
          FROM ${jsonRows(db, JSON.stringify(keys), 'j')}) k
      ON t.member_id = k.m AND t.activity_code = k.c AND t.period = k.p`.execute(db);
  for (const r of rows.rows) totals.set(totalKey(r), r.points);
  return totals;
}

/** The map key of a member's total for an activity and period. */
export const totalKey = (k: { member_id: string; activity_code: string; period: string }) =>
  `${k.member_id}|${k.activity_code}|${k.period}`;
