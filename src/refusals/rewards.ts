import type { RefusalEntry } from './entry.js';

/** Refusals of rewards: redeem codes, redemptions, discount cards, refunds and settlements. */
export const REWARD_REFUSALS = {
  code_used: {
    status: 409,
    detail: 'This redeem code was already used; ask for a new one',
    page: { zh: '这个兑换码已经用过了，请顾客换一个新码。', en: 'This code was already used. Ask the customer for a new one.' },
    schema: { code_used: null },
    unique: ['redeem_code_uses.code_hash'],
  },
  code_expired: {
    status: 410,
    detail: 'This redeem code has expired; ask for a new one',
    page: { zh: '兑换码已过期，请顾客换一个新码。', en: 'This code has expired. Ask the customer for a new one.' },
    schema: { code_expired: null },
  },
  code_ceiling_exceeded: {
    status: 422,
    detail: 'This redemption costs more than the worker allowed for this code',
    schema: { code_ceiling_exceeded: null },
  },
  // The caller that ran the gate answers with the Retry-After of its configured window (src/rewards/redeem-attempts.ts).
  too_many_attempts: {
    status: 429,
    detail: 'Too many failed redeem-code attempts; try again later',
    page: { zh: '尝试失败的次数太多，请过一会儿再试。', en: 'Too many failed attempts. Wait a while and try again.' },
    schema: { redeem_rate_limited: null },
  },
  out_of_stock: {
    status: 409,
    detail: 'Not enough of this reward is in stock',
    page: { zh: '库存不够了。', en: 'Not enough left in stock.' },
    schema: { reward_stock: null },
  },
  member_limit_reached: {
    status: 422,
    detail: 'This member has reached the limit for this reward in this period',
    page: { zh: '这位顾客已达到这件商品的兑换上限。', en: 'This customer has reached the limit for this reward.' },
    schema: { member_limit: null },
  },
  reward_inactive: {
    status: 409,
    detail: 'This reward is no longer offered',
    page: { zh: '这件商品已经下架。', en: 'This reward is no longer offered.' },
  },
  one_card_at_a_time: {
    status: 422,
    detail: 'A discount card is taken one at a time: the quantity must be 1',
    page: { zh: '优惠卡一次只能兑换一张。', en: 'Redeem one discount card at a time.' },
    schema: { one_card_at_a_time: null },
  },
  card_used: {
    status: 409,
    detail: 'The discount card from this redemption was already used',
    page: { zh: '这张优惠卡已经用过，不能退回。', en: 'This card was already used, so it cannot be refunded.' },
    schema: { card_used: null },
  },
  card_wrong_merchant: {
    status: 403,
    detail: 'This discount card is for another merchant',
    page: { zh: '这张优惠卡不是本店的。', en: 'This card belongs to another merchant.' },
    schema: { card_wrong_merchant: null },
  },
  card_revoked: {
    status: 409,
    detail: 'This discount card was revoked by a refund',
    page: { zh: '这张优惠卡已作废。', en: 'This card was cancelled.' },
    schema: { card_revoked: null },
  },
  card_expired: {
    status: 410,
    detail: 'This discount card has expired',
    page: { zh: '这张优惠卡已过期。', en: 'This card has expired.' },
    schema: { card_expired: null },
  },
  card_exhausted: {
    status: 409,
    detail: 'This discount card has no uses left',
    page: { zh: '这张优惠卡的次数已经用完。', en: 'This card has no uses left.' },
    schema: { card_exhausted: null },
  },
  already_refunded: {
    status: 409,
    detail: 'This redemption was already refunded',
    schema: { already_refunded: null },
    unique: ['refunds.redemption_id'],
  },
  refund_window_closed: {
    status: 409,
    detail: 'The refund window for this redemption has closed',
    page: { zh: '已过退回期限。', en: 'The time for refunds has passed.' },
    schema: { refund_window_closed: null },
  },
  nothing_to_settle: { status: 422, detail: 'The merchant has no redeemed points to settle' },
  settlement_already_reversed: {
    status: 409,
    detail: 'This settlement was already reversed',
    schema: { settlement_already_reversed: null },
    unique: ['settlement_reversals.settlement_id'],
  },
} as const satisfies Record<string, RefusalEntry>;
