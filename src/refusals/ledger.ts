import type { RefusalEntry } from './entry.js';

/** Refusals of the ledger: postings, balances, holds, reversals, expiry, checkpoints, orgs, members and budgets. */
export const LEDGER_REFUSALS = {
  insufficient_funds: {
    status: 422,
    detail: 'The account does not have enough available points',
    page: { zh: '积分不够。', en: 'Not enough points.' },
    schema: { insufficient_funds: null },
  },
  amount_out_of_range: {
    status: 422,
    detail: 'This would take a balance past the largest the ledger keeps (100,000,000,000 points either way)',
    page: { zh: '数额太大，超出了系统允许的范围。', en: 'That amount is larger than the ledger allows.' },
    schema: { balance_out_of_range: null },
  },
  too_few_postings: { status: 422, detail: 'A transaction needs at least two postings' },
  invalid_amount: { status: 422, detail: 'An amount must be a positive whole number of hundredths' },
  duplicate_account: { status: 422, detail: 'An account appears twice in one transaction' },
  unbalanced_transaction: { status: 422, detail: 'Postings must sum to zero', schema: { unbalanced_transaction: null } },
  append_only: { status: 409, detail: 'Ledger records cannot be changed or deleted', schema: { append_only: null } },
  hold_already_resolved: {
    status: 409,
    detail: 'The hold was already captured, voided or expired',
    schema: { hold_already_resolved: null },
    unique: ['hold_resolutions.hold_id'],
  },
  hold_expired: { status: 409, detail: 'The hold has expired', schema: { hold_expired: null } },
  hold_not_expired: { status: 409, detail: 'The hold has not expired yet', schema: { hold_not_expired: null } },
  capture_exceeds_hold: { status: 422, detail: 'Cannot capture more than the hold reserved', schema: { capture_exceeds_hold: null } },
  already_reversed: { status: 409, detail: 'That transaction was already reversed', unique: ['transactions.reverses_id'] },
  // A generic reversal (POST /v1/adjustments) of what a domain record owns.
  reversal_owned_by_claim: {
    status: 409,
    detail: 'This transaction belongs to a claim: revoke the claim instead (POST /v1/claims/{id}/revoke); a revocation is final',
    schema: { reversal_owned_by_claim: null },
  },
  reversal_owned_by_redemption: {
    status: 409,
    detail: 'This transaction belongs to a redemption: refund it instead (POST /v1/redemptions/{id}/refund); a refund is final',
    schema: { reversal_owned_by_redemption: null },
  },
  reversal_owned_by_settlement: {
    status: 409,
    detail: 'This transaction belongs to a settlement: reverse the settlement instead (POST /v1/settlements/{id}/reverse); that is final',
    schema: { reversal_owned_by_settlement: null },
  },
  reversal_owned_by_expiry: {
    status: 409,
    detail: 'Expired points are not restored by a reversal; give them back with an adjustment if they must be',
    schema: { reversal_owned_by_expiry: null },
  },
  not_reversible: {
    status: 409,
    detail: 'Only budget allocations and adjustments can be reversed here; correct this one with an adjustment',
    schema: { not_reversible: null },
  },
  expiry_mismatch: {
    status: 422,
    detail: 'A points expiry must name its member and the boundary it expires through',
    schema: { expiry_mismatch: null },
  },
  checkpoint_not_due: {
    status: 409,
    detail: 'A checkpoint for this head or interval was already signed',
    schema: { checkpoint_not_due: null },
    unique: ['scheduled_checkpoints.slot'],
  },
  budget_exhausted: {
    status: 422,
    detail: "The org's budget cannot cover these points; ask an admin for a budget allocation",
    page: { zh: '预算已经用完，无法发放积分，请联系上级追加预算。', en: 'The budget is used up, so no points can be credited. Ask for more budget.' },
  },
  invalid_org_parent: { status: 422, detail: 'An org of this kind cannot be placed there' },
  duplicate_external_ref: { status: 409, detail: 'A member with this external_ref exists', unique: ['members.external_ref'] },
} as const satisfies Record<string, RefusalEntry>;
