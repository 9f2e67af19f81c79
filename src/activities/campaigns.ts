import { z } from '@hono/zod-openapi';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { Db, Database } from '../db/types.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { badRequest, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { findOrg } from '../orgs/orgs.js';

/** A multiplier: a decimal string greater than 0 and at most 10, with at most two decimals. */
export const Multiplier = z
  .string()
  // abort: only a decimal string may reach the Decimal check (which throws on anything else).
  .regex(/^\d{1,2}(\.\d{1,2})?$/, { message: 'must be a decimal string with at most two decimals, e.g. "2" or "1.5"', abort: true })
  .refine((s) => new Decimal(s).gt(0) && new Decimal(s).lte(10), 'must be greater than 0 and at most 10')
  .openapi({ example: '2' });

export const CampaignInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    multiplier: Multiplier,
    starts_at: z.iso.datetime({ offset: true }),
    ends_at: z.iso.datetime({ offset: true }),
    activity_codes: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
    org_id: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('CampaignInput');

export type CampaignRow = Database['campaigns'];

/** Compiles the insertion of a campaign. */
export function insertCampaign(db: Db, row: CampaignRow) {
  return db.insertInto('campaigns').values(row).compile();
}

/** A campaign as the API shows it: its activity codes as a list. */
export const campaignView = (row: CampaignRow) => ({
  ...row,
  activity_codes: row.activity_codes ? (JSON.parse(row.activity_codes) as string[]) : null,
});

/** Starts a campaign: a points multiplier for a time window, optionally for some activities and an org subtree. */
export async function createCampaign(deps: AppDeps, caller: Caller, input: z.output<typeof CampaignInput>, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  if (input.org_id && !(await findOrg(db, input.org_id))) throw notFound(`Org ${input.org_id}`);
  const row = {
    id: newId('cmp'),
    name: input.name,
    multiplier: input.multiplier,
    starts_at: new Date(input.starts_at).toISOString(),
    ends_at: new Date(input.ends_at).toISOString(),
    activity_codes: input.activity_codes ? JSON.stringify(input.activity_codes) : null,
    org_id: input.org_id ?? null,
    created_by: callerKey(caller),
    created_at: clock().toISOString(),
  };
  // After the org's check, as the answer to a request wrong in both has always been its 404.
  if (row.ends_at <= row.starts_at) {
    throw badRequest('validation_failed', 'The campaign must end after it starts', [{ path: 'body.ends_at', message: 'must be after starts_at' }]);
  }
  return commitWrite(deps, idempotency, () => ({ statements: [insertCampaign(db, row)], result: row }), 201, campaignView);
}

/** The latest campaigns, newest first (at most 500). */
export function latestCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').limit(500).execute();
}

/** A campaign that may apply to claims, with the subtree path of its org. */
export interface ActiveCampaign extends CampaignRow {
  org_path: string | null;
}

/**
 * Campaigns whose window overlaps [from, to], with their org's subtree path,
 * read once for a whole roster.
 */
export async function campaignsOverlapping(db: Db, from: string, to: string): Promise<ActiveCampaign[]> {
  // SQL text, not the builder: this runs on every credit.
  const { rows } = await sql<ActiveCampaign>`
    SELECT c.*, o.path AS org_path FROM campaigns c LEFT JOIN orgs o ON o.id = c.org_id
    WHERE c.starts_at <= ${to} AND c.ends_at > ${from}`.execute(db);
  return rows;
}

/**
 * The multiplier for a claim. Stacking rule: campaigns do not stack — of the
 * campaigns whose window contains the claim's time, that cover its activity
 * (or all activities) and its org (an org in the campaign org's subtree, or
 * the whole programme), the highest multiplier applies; ties go to the
 * earliest-created campaign. With none, the multiplier is 1.
 */
export function chooseMultiplier(
  campaigns: readonly ActiveCampaign[],
  claim: { activity_code: string; org_path: string; occurred_at: string },
): { multiplier: Decimal; campaign_id: string | null } {
  let best: { multiplier: Decimal; campaign: ActiveCampaign } | null = null;
  for (const c of campaigns) {
    if (!(c.starts_at <= claim.occurred_at && claim.occurred_at < c.ends_at)) continue;
    if (c.activity_codes && !(JSON.parse(c.activity_codes) as string[]).includes(claim.activity_code)) continue;
    if (c.org_path && !claim.org_path.startsWith(c.org_path)) continue;
    const multiplier = new Decimal(c.multiplier);
    if (
      !best ||
      multiplier.gt(best.multiplier) ||
      (multiplier.eq(best.multiplier) && (c.created_at < best.campaign.created_at || (c.created_at === best.campaign.created_at && c.id < best.campaign.id)))
    ) {
      best = { multiplier, campaign: c };
    }
  }
  return best ? { multiplier: best.multiplier, campaign_id: best.campaign.id } : { multiplier: new Decimal(1), campaign_id: null };
}
