/**
 * The merchant's lists: its redemptions (/app/merchant/redemptions), newest
 * first, each opening its signed receipt and, while the window is open, a
 * refund with a reason; and the pickups waiting (/app/merchant/pickups), each
 * handed over (capture) or cancelled (void). Members by name and number.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, say } from './dom.js';
import { time } from './format.js';
import { t, text } from './page-text.js';
import { receiptDetails } from './receipt.js';

type Redemption = components['schemas']['MerchantRedemption'];
type Pickup = components['schemas']['MerchantPickup'];
type Shop = { params: { path: { id: string } } };

const who = (m: { member_name: string | null; member_no: string }, at: string) => t('merchant_r_who', { name: m.member_name || text.member_unnamed, no: m.member_no, time: time(at) });

/**
 * A list paged with `next_cursor`: the first page, more on request, and the
 * whole of what is shown again after a change (`reload`).
 */
function pagedList<I>(listId: string, moreId: string, empty: string, fetchPage: (cursor: string | undefined) => Promise<{ items: I[]; next_cursor: string | null }>, render: (item: I) => Node) {
  const list = byId(listId), more = byId<HTMLButtonElement>(moreId);
  let shown: I[] = [], cursor: string | null = null;
  function show(items: I[], next: string | null): void {
    shown = items;
    cursor = next;
    more.hidden = !cursor;
    fill(list, shown, render, empty);
  }
  function reload(): Promise<void> {
    // As many pages as were shown, so a change does not fold the list back to its first page.
    const wanted = Math.max(shown.length, 1);
    const gather = (acc: I[], at: string | undefined): Promise<void> =>
      fetchPage(at).then((page) => {
        const items = acc.concat(page.items);
        if (page.next_cursor && items.length < wanted) return gather(items, page.next_cursor);
        show(items, page.next_cursor);
      });
    return gather([], undefined);
  }
  more.addEventListener('click', () => {
    if (!cursor) return;
    fetchPage(cursor)
      .then((page) => show(shown.concat(page.items), page.next_cursor))
      .catch(fail);
  });
  return reload;
}

/** The shop's redemptions with receipts and refunds. */
export function redemptionsPage(shop: Shop): void {
  const reload = pagedList<Redemption>(
    'redemptions',
    'redemptions-more',
    text.merchant_redemptions_none,
    (cursor) => ok(api.GET('/v1/merchants/{id}/redemptions', { params: { path: shop.params.path, query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    item,
  );

  function receipt(r: Redemption): HTMLElement {
    return receiptDetails(r.id, text.merchant_r_receipt_show, (got) => [
      el('p', { class: 'note', text: t('merchant_r_receipt_seq', { seq: got.transaction.seq }) }),
      el('p', { class: 'note', text: text.merchant_r_receipt_jws }),
      el('p', { class: 'note', 'data-receipt': '', text: got.receipt }),
    ]);
  }

  // The refund's form; the service has the last word (a refusal after the window is the catalogue's text).
  function refundForm(r: Redemption): HTMLElement {
    const inputId = 'reason-' + r.id;
    const input = el('input', { id: inputId, name: 'reason', required: true, minlength: 3, maxlength: 500, autocomplete: 'off' });
    const form = el('form', { novalidate: true }, [
      el('label', { for: inputId, text: text.merchant_refund_reason }),
      input,
      el('button', { type: 'submit', class: 'secondary', text: text.merchant_r_refund_submit }),
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const reason = input.value.trim();
      if (reason.length < 3) {
        fail(text.err_validation_failed);
        input.focus();
        return;
      }
      busy(form, ok(api.POST('/v1/redemptions/{id}/refund', { params: { path: { id: r.id } }, body: { reason }, headers: { 'idempotency-key': 'refund-' + r.id } })))
        .then(() => reload())
        .then(() => say(text.merchant_refunded_ok))
        .catch(fail);
    });
    // Folded until asked for, so the list stays short on a phone.
    return el('details', { class: 'refund' }, [el('summary', { text: text.merchant_refund_submit }), form]);
  }

  function item(r: Redemption): HTMLLIElement {
    const state = r.refund
      ? t('merchant_r_refunded', { time: time(r.refund.created_at), reason: r.refund.reason })
      : r.can_refund
        ? t('merchant_r_refundable', { time: time(r.refundable_until) })
        : text.merchant_r_not_refundable;
    return el('li', { 'data-redemption-id': r.id, 'data-member-no': r.member_no, 'data-refunded': String(r.refunded), 'data-can-refund': String(r.can_refund) }, [
      el('div', { class: 'line' }, [el('strong', { text: t('merchant_r_line', { reward: r.reward_name, n: r.quantity }) }), el('span', { class: 'amount', text: t('merchant_r_points', { points: r.points }) })]),
      el('div', { class: 'note line' }, [
        el('span', { 'data-who': '', text: who(r, r.created_at) }),
        el('span', { class: 'badge', text: r.refunded ? text.merchant_r_refunded_badge : r.picked_up ? text.merchant_r_pickup : text.merchant_r_by_code }),
      ]),
      el('p', { class: 'note', 'data-refund-state': '', text: state }),
      receipt(r),
      r.can_refund ? refundForm(r) : null,
    ]);
  }

  reload().catch(fail);
}

/** Reservations waiting at the shop: hand over or cancel. */
export function pickupsPage(shop: Shop): void {
  const reload = pagedList<Pickup>(
    'pickups',
    'pickups-more',
    text.merchant_pickups_none,
    (cursor) => ok(api.GET('/v1/merchants/{id}/holds', { params: { path: shop.params.path, query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    item,
  );

  function item(p: Pickup): HTMLLIElement {
    const name = p.member_name || text.member_unnamed;
    const capture = el('button', { type: 'button', text: text.merchant_p_capture });
    const cancel = el('button', { type: 'button', class: 'secondary', text: text.merchant_p_void });
    // One key per hold and action: a retry after a lost answer replays it.
    function act(button: HTMLButtonElement, call: () => Promise<unknown>, done: string): void {
      capture.disabled = cancel.disabled = true;
      call()
        .then(() => reload())
        .then(() => say(done))
        .catch((error: unknown) => {
          capture.disabled = cancel.disabled = false;
          fail(error);
          button.focus();
        });
    }
    const path = { params: { path: { id: p.id } } };
    capture.addEventListener('click', () =>
      act(capture, () => ok(api.POST('/v1/holds/{id}/capture', { ...path, headers: { 'idempotency-key': 'capture-' + p.id } })), t('merchant_p_captured_ok', { name, points: p.points })),
    );
    cancel.addEventListener('click', () => act(cancel, () => ok(api.POST('/v1/holds/{id}/void', { ...path, headers: { 'idempotency-key': 'void-' + p.id } })), t('merchant_p_voided_ok', { name })));
    return el('li', { 'data-hold-id': p.id, 'data-member-no': p.member_no }, [
      el('div', { class: 'line' }, [el('strong', { text: t('merchant_r_line', { reward: p.reward_name, n: p.quantity }) }), el('span', { class: 'amount', text: t('merchant_r_points', { points: p.points }) })]),
      el('p', { class: 'note', 'data-who': '', text: who(p, p.created_at) }),
      el('p', { class: 'note', 'data-lapses': p.expires_at, text: t('merchant_p_until', { time: time(p.expires_at) }) }),
      el('div', { class: 'row' }, [capture, cancel]),
    ]);
  }

  reload().catch(fail);
}
