/**
 * The worker's receipts (/app/worker/receipts): its redemptions, newest
 * first, by shop and reward name; each opens its signed receipt (and the
 * refund, if there was one), and names the discount card it gave and how
 * much of it is used.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { byId, el, fail, fill } from './dom.js';
import { time } from './format.js';
import { t, text } from './page-text.js';
import { receiptDetails } from './receipt.js';

type Card = NonNullable<components['schemas']['Card']>;

export function workerReceipts(): void {
  Promise.all([ok(api.GET('/v1/me/redemptions', { params: { query: { limit: 50 } } })), ok(api.GET('/v1/me/cards'))])
    .then(([redemptions, cards]) => {
      const cardOf: Record<string, Card> = {};
      cards.items.forEach((card) => {
        if (card) cardOf[card.redemption_id] = card;
      });
      fill(
        byId('receipts'),
        redemptions.items,
        (r) => {
          const card = cardOf[r.id];
          const details = receiptDetails(r.id, text.worker_receipt_show, (receipt) => [
            receipt.refund ? el('p', { 'data-refund': '', text: t('worker_receipt_refund', { reason: receipt.refund.reason, time: time(receipt.refund.created_at) }) }) : null,
            el('p', { class: 'note', text: t('worker_receipt_seq', { seq: receipt.transaction.seq }) }),
            el('p', { class: 'note', text: text.worker_receipt_jws }),
            el('p', { class: 'note', 'data-receipt': '', text: receipt.receipt }),
          ]);
          return el('li', { 'data-redemption-id': r.id, 'data-refunded': String(r.refunded) }, [
            el('div', { class: 'line' }, [
              el('strong', { text: t('worker_receipt_line', { reward: r.reward_name, n: r.quantity }) }),
              el('span', { class: 'amount minus', text: t('worker_receipt_points', { points: r.points }) }),
            ]),
            el('div', { class: 'note line' }, [
              el('span', { text: t('worker_receipt_where', { shop: r.merchant_name, time: time(r.created_at) }) }),
              el('span', { class: 'badge', text: r.refunded ? text.worker_receipt_refunded : r.by_code ? text.worker_receipt_by_code : text.worker_receipt_pickup }),
            ]),
            ...(card ? [el('p', { class: 'note', 'data-card': card.code, text: t('worker_receipt_card', { name: card.name, used: card.uses - card.uses_left, uses: card.uses }) })] : []),
            details,
          ]);
        },
        text.worker_receipts_none,
      );
    })
    .catch(fail);
}
