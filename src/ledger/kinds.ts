// The kinds of ledger transaction, as the migrations seed transaction_kinds
// (0001–0009). Stated here once for code and pages (the auditor's search
// offers them); test/audit-search.test.ts checks the list against the table.

export const TRANSACTION_KINDS = [
  'claim_credit',
  'claim_revocation',
  'redemption',
  'hold_capture',
  'redemption_refund',
  'settlement',
  'settlement_reversal',
  'budget_allocation',
  'adjustment',
  'reversal',
  'points_expiry',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];
