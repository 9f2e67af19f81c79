import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import type { Db } from '../db/types.js';
import { forbidden, notFound } from '../errors.js';
import { findOrg, withinPath } from '../orgs/orgs.js';
import { findReward, rewardView } from './catalog.js';
import { findRedemption } from './redemption-reads.js';
import { signReceipt } from './redeem.js';

/**
 * The programme's catalog as a worker browses it: every reward on offer, with
 * its shop's name and the org the shop belongs to, by org, shop, then the order
 * rewards were added. `orgId` narrows it to shops registered in that org's
 * subtree; `merchantId` to one shop.
 */
export async function programmeCatalog(db: Db, filter: { orgId?: string | undefined; merchantId?: string | undefined }) {
  let query = db
    .selectFrom('rewards as w')
    .innerJoin('merchants as m', 'm.id', 'w.merchant_id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .selectAll('w')
    .select(['m.name as merchant_name', 'o.id as org_id', 'o.name as org_name'])
    .where('w.active', '=', 1)
    .orderBy('o.path')
    .orderBy('m.name')
    .orderBy('m.id')
    .orderBy('w.created_at')
    .orderBy('w.id');
  if (filter.orgId !== undefined) {
    const org = await findOrg(db, filter.orgId);
    if (!org) throw notFound(`Org ${filter.orgId}`);
    query = query.where(withinPath('o.path', org.path));
  }
  if (filter.merchantId !== undefined) query = query.where('m.id', '=', filter.merchantId);
  const rows = await query.execute();
  return rows.map(({ merchant_name, org_id, org_name, ...reward }) => ({ ...rewardView(reward), merchant_name, org_id, org_name }));
}

/**
 * A redemption's signed receipt, for its worker, its merchant, admins and
 * auditors: the same statement the till got (EdDSA signatures are
 * deterministic, so signing the same redemption again gives the same JWS),
 * with the shop's name and the refund if there was one.
 */
export async function redemptionReceipt(deps: Pick<AppDeps, 'db' | 'signer'>, caller: Caller, id: string) {
  const { db, signer } = deps;
  const redemption = await findRedemption(db, id);
  if (!redemption) throw notFound(`Redemption ${id}`);
  if ((caller.role === 'merchant' && caller.merchant_id !== redemption.merchant_id) || (caller.role === 'worker' && caller.member_id !== redemption.member_id)) {
    throw forbidden('Not your redemption');
  }
  const [reward, transaction, card, refund, merchant] = await Promise.all([
    findReward(db, redemption.reward_id),
    db.selectFrom('transactions').select(['id', 'seq', 'hash']).where('id', '=', redemption.tx_id).executeTakeFirstOrThrow(),
    db.selectFrom('cards').selectAll().where('redemption_id', '=', redemption.id).executeTakeFirst(),
    db.selectFrom('refunds').select(['reason', 'created_at', 'tx_id']).where('redemption_id', '=', redemption.id).executeTakeFirst(),
    db.selectFrom('merchants').select('name').where('id', '=', redemption.merchant_id).executeTakeFirstOrThrow(),
  ]);
  const receipt = signReceipt(signer, { redemption, transaction, card: card ?? null }, reward!);
  return {
    redemption_id: redemption.id,
    merchant_name: merchant.name,
    reward_name: reward!.name,
    receipt,
    transaction: { id: transaction.id, seq: transaction.seq, hash: transaction.hash },
    refund: refund ? { reason: refund.reason, created_at: refund.created_at, transaction_id: refund.tx_id } : null,
  };
}
