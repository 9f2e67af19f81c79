import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import type { Db } from '../db/types.js';
import { notFound } from '../errors.js';
import { commitFresh, type IdempotencyScope } from '../db/write-runner.js';
import { cardView, discountFor } from './cards.js';

/** A member's discount cards, newest first, as the API shows them at `now` (uses so far, revoked by a refund). */
export async function cardsOfMember(db: Db, memberId: string, now: string) {
  const rows = await db
    .selectFrom('cards as k')
    .leftJoin('refunds as f', 'f.redemption_id', 'k.redemption_id')
    .selectAll('k')
    .select((eb) => [eb.selectFrom('card_uses as u').select(eb.fn.countAll<number>().as('n')).whereRef('u.card_id', '=', 'k.id').as('used'), 'f.created_at as revoked_at'])
    .where('k.member_id', '=', memberId)
    .orderBy('k.created_at', 'desc')
    .execute();
  return rows.map((r) => cardView(r, Number(r.used ?? 0), r.revoked_at, now));
}

/**
 * Records a use of a discount card at the calling merchant, with the discount
 * on the bill when one is given. The schema refuses a use past expiry, beyond
 * the uses, at another merchant, after a refund, or out of order (two tills at once).
 */
export async function useCard(deps: AppDeps, caller: Caller, input: { code: string; bill: string | null }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  return commitFresh(
    deps,
    idempotency,
    async () => {
      const card = await db.selectFrom('cards').selectAll().where('code', '=', input.code.toUpperCase()).executeTakeFirst();
      if (!card) throw notFound('The discount card');
      const used = await db.selectFrom('card_uses').select((eb) => eb.fn.countAll<number>().as('n')).where('card_id', '=', card.id).executeTakeFirst();
      const n = Number(used?.n ?? 0) + 1;
      const now = clock().toISOString();
      const discount = input.bill ? discountFor(card, input.bill) : null;
      const row = { card_id: card.id, n, merchant_id: caller.merchant_id!, bill_cny: input.bill, discount_cny: discount, actor: callerKey(caller), created_at: now };
      // The schema refuses a use past expiry, beyond the uses, at another
      // merchant, after a refund, or out of order (two tills at once).
      return () => ({ statements: [db.insertInto('card_uses').values(row).compile()], result: { card: cardView(card, n, null, now), use: n, discount_cny: discount } });
    },
    201,
    (r) => r,
  );
}
