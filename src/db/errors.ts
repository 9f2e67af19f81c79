import { AppError, conflict, forbidden, notFound, refused, tooManyAttempts, unavailable } from '../errors.js';

/** Raised by the executor when the chain head moved: the write is rebuilt and retried. */
export class ChainConflict extends Error {
  constructor() {
    super('chain_conflict');
    this.name = 'ChainConflict';
  }
}

/**
 * Raised when a guard on derived state (a cap total) shows that what the
 * write was computed from changed underneath it: recompute and try again.
 */
export class StaleRead extends Error {
  constructor() {
    super('stale_read');
    this.name = 'StaleRead';
  }
}

/** Raised when an idempotency key was stored by a concurrent request first. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency_key_taken');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** A claim for something longer ago than the programme accepts (the number of days when known). */
export const claimTooOld = (days?: number) =>
  refused(
    'claim_too_old',
    `This happened ${days === undefined ? 'longer ago than the programme accepts claims for' : `more than ${days} days ago`}; ` +
      'an admin can still record it as a back-fill, with a reason',
  );

// Messages raised by the schema's triggers (RAISE(ABORT, '<code>')) and what
// they mean to a caller. better-sqlite3 reports the bare message; D1 wraps it
// ("D1_ERROR: insufficient_funds: SQLITE_CONSTRAINT"), so match by word.
const TRIGGER_ERRORS = {
  insufficient_funds: () => refused('insufficient_funds', 'The account does not have enough available points'),
  balance_out_of_range: () =>
    refused('amount_out_of_range', 'This would take a balance past the largest the ledger keeps (100,000,000,000 points either way)'),
  unknown_account: () => notFound('An account named in the postings'),
  unknown_hold: () => notFound('The hold'),
  hold_already_resolved: () => conflict('hold_already_resolved', 'The hold was already captured, voided or expired'),
  hold_expired: () => conflict('hold_expired', 'The hold has expired'),
  hold_not_expired: () => conflict('hold_not_expired', 'The hold has not expired yet'),
  capture_exceeds_hold: () => refused('capture_exceeds_hold', 'Cannot capture more than the hold reserved'),
  unbalanced_transaction: () => refused('unbalanced_transaction', 'Postings must sum to zero'),
  append_only: () => conflict('append_only', 'Ledger records cannot be changed or deleted'),
  claim_already_decided: () => conflict('claim_already_decided', 'The claim was already approved or rejected'),
  claim_not_approved: () => conflict('claim_not_approved', 'Only an approved claim can be revoked'),
  claim_already_revoked: () => conflict('claim_already_revoked', 'The claim was already revoked'),
  self_approval: () =>
    new AppError(403, 'self_approval', 'Forbidden', 'Nobody decides a claim they submitted or that credits themselves; another organizer must'),
  occurred_in_future: () => refused('occurred_in_future', 'A claim cannot be for something that has not happened yet'),
  claim_too_old: () => claimTooOld(),
  claim_max_age_invalid: () => refused('claim_max_age_invalid', 'The claim does not carry a valid age limit'),
  backfill_admin_only: () => forbidden('Only an admin can record an old claim as a back-fill'),
  outside_scope: () => forbidden('The member or the org is outside your scope'),
  needs_second_approver: () => conflict('needs_second_approver', 'This claim needs the approval of a second organizer'),
  evidence_required: () => refused('evidence_required', 'This activity needs an evidence_url'),
  activity_version_conflict: () => conflict('activity_version_conflict', 'The activity type was changed concurrently; retry'),
  credit_mismatch: () => refused('credit_mismatch', 'The credit does not match the claim'),
  invalid_code: () => notFound('The redeem code'),
  code_used: () => conflict('code_used', 'This redeem code was already used; ask for a new one'),
  code_expired: () => new AppError(410, 'code_expired', 'Gone', 'This redeem code has expired; ask for a new one'),
  already_refunded: () => conflict('already_refunded', 'This redemption was already refunded'),
  refund_window_closed: () => conflict('refund_window_closed', 'The refund window for this redemption has closed'),
  card_used: () => conflict('card_used', 'The discount card from this redemption was already used'),
  unknown_card: () => notFound('The discount card'),
  card_wrong_merchant: () => new AppError(403, 'card_wrong_merchant', 'Forbidden', 'This discount card is for another merchant'),
  card_revoked: () => conflict('card_revoked', 'This discount card was revoked by a refund'),
  card_expired: () => new AppError(410, 'card_expired', 'Gone', 'This discount card has expired'),
  card_exhausted: () => conflict('card_exhausted', 'This discount card has no uses left'),
  reward_stock: () => conflict('out_of_stock', 'Not enough of this reward is in stock'),
  member_limit: () => refused('member_limit_reached', 'This member has reached the limit for this reward in this period'),
  code_ceiling_exceeded: () => refused('code_ceiling_exceeded', 'This redemption costs more than the worker allowed for this code'),
  one_card_at_a_time: () => refused('one_card_at_a_time', 'A discount card is taken one at a time: the quantity must be 1'),
  // The route that raised it answers with the exact Retry-After of its window.
  redeem_rate_limited: () => tooManyAttempts(60),
  // A generic reversal (POST /v1/adjustments) of what a domain record owns.
  reversal_owned_by_claim: () =>
    conflict('reversal_owned_by_claim', "This transaction belongs to a claim: revoke the claim instead (POST /v1/claims/{id}/revoke); a revocation is final"),
  reversal_owned_by_redemption: () =>
    conflict('reversal_owned_by_redemption', 'This transaction belongs to a redemption: refund it instead (POST /v1/redemptions/{id}/refund); a refund is final'),
  reversal_owned_by_settlement: () =>
    conflict('reversal_owned_by_settlement', 'This transaction belongs to a settlement: reverse the settlement instead (POST /v1/settlements/{id}/reverse); that is final'),
  reversal_owned_by_expiry: () =>
    conflict('reversal_owned_by_expiry', 'Expired points are not restored by a reversal; give them back with an adjustment if they must be'),
  not_reversible: () =>
    conflict('not_reversible', 'Only budget allocations and adjustments can be reversed here; correct this one with an adjustment'),
  settlement_already_reversed: () => conflict('settlement_already_reversed', 'This settlement was already reversed'),
  checkpoint_not_due: () => conflict('checkpoint_not_due', 'A checkpoint for this head or interval was already signed'),
  expiry_mismatch: () => refused('expiry_mismatch', 'A points expiry must name its member and the boundary it expires through'),
} satisfies Record<string, () => AppError>;

/** The refusal a schema guard's word stands for, for a route that checks the same rule first (one code, one text). */
export function guardRefusal(word: keyof typeof TRIGGER_ERRORS): AppError {
  return TRIGGER_ERRORS[word]();
}

const UNIQUE_ERRORS: Array<[RegExp, () => AppError]> = [
  [/transactions\.reverses_id/, () => conflict('already_reversed', 'That transaction was already reversed')],
  [/members\.external_ref/, () => conflict('duplicate_external_ref', 'A member with this external_ref exists')],
  [/hold_resolutions\.hold_id/, TRIGGER_ERRORS.hold_already_resolved!],
  [/redeem_code_uses\.code_hash/, TRIGGER_ERRORS.code_used!],
  [/refunds\.redemption_id/, TRIGGER_ERRORS.already_refunded!],
  [/settlement_reversals\.settlement_id/, TRIGGER_ERRORS.settlement_already_reversed!],
  [/scheduled_checkpoints\.slot/, TRIGGER_ERRORS.checkpoint_not_due!],
  [/claim_decisions\.credit_key_(event|report)/, () => conflict('already_credited', 'This member was already credited for this event or report')],
  [/activity_types\.code, activity_types\.version/, TRIGGER_ERRORS.activity_version_conflict!],
];

// better-sqlite3 reports these as messages and codes; D1 wraps the same
// SQLite words, and names its own transient faults (overload, a reset
// object, a lost connection, the database at its size limit).
const RESOURCE_FAULT = new RegExp(
  [
    'SQLITE_BUSY', 'SQLITE_LOCKED', 'database is locked', 'database table is locked',
    'SQLITE_FULL', 'database or disk is full', 'SQLITE_IOERR', 'disk I/O error',
    'D1 DB is overloaded', 'Network connection lost', 'transient issue', 'D1 DB reset',
    'storage operation exceeded', 'Exceeded maximum DB size',
  ].join('|'),
  'i',
);

/**
 * Turns a database error from either backend into what it means: a chain
 * conflict to retry, an idempotency race to replay, a refusal for the caller,
 * or (returned unchanged) a bug.
 */
export function translateDbError(error: unknown): unknown {
  const message = error instanceof Error ? `${error.message} ${(error as { code?: unknown }).code ?? ''}` : String(error);
  if (/\bchain_conflict\b/.test(message) || /UNIQUE constraint failed: transactions\.(seq|hash)/.test(message)) {
    return new ChainConflict();
  }
  if (/UNIQUE constraint failed: idempotency_keys\./.test(message)) return new IdempotencyKeyTaken();
  // expiry_exceeds_due: the amount was computed before another sweep expired the same points.
  // auto_approval_threshold: another auto-approval for the member, activity and day came first.
  if (/\b(earning_cap|expiry_exceeds_due|auto_approval_threshold|card_use_conflict)\b/.test(message) || /UNIQUE constraint failed: card_uses/.test(message)) {
    return new StaleRead();
  }
  for (const [code, make] of Object.entries(TRIGGER_ERRORS)) {
    if (new RegExp(`\\b${code}\\b`).test(message)) return make();
  }
  for (const [pattern, make] of UNIQUE_ERRORS) {
    if (pattern.test(message)) return make();
  }
  if (/FOREIGN KEY constraint failed/.test(message)) {
    return refused('unknown_reference', 'The request refers to something that does not exist');
  }
  // Resource faults (locked by another writer, disk full, I/O): nothing was
  // written, and a retry may well succeed once the fault clears.
  if (RESOURCE_FAULT.test(message)) {
    return unavailable('storage_unavailable', 'The database is busy or unavailable; retry shortly', 1);
  }
  return error;
}
