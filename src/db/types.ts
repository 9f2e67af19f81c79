import type { Generated, Kysely } from 'kysely';

/** Kysely table types for the schema in `schema/`. Amounts are integer hundredths. */
export interface Database {
  orgs: {
    id: string;
    name: string;
    kind: string;
    parent_id: string | null;
    path: string;
    created_at: string;
  };
  members: {
    id: string;
    display_name: string | null;
    platform: string | null;
    home_org_id: string;
    external_ref: string | null;
    account_id: string;
    created_at: string;
    /** Assigned by the database as the member is inserted (schema/0010). */
    member_no: Generated<number>;
    status: Generated<string>;
    change_id: string | null;
  };
  member_changes: {
    id: string;
    member_id: string;
    actor: string;
    reason: string | null;
    before: string;
    after: string;
    created_at: string;
    scope_org_id: string;
  };
  transaction_kinds: { kind: string; allows_overdraft: number };
  accounts: {
    id: string;
    kind: string;
    owner_id: string | null;
    no_overdraft: number;
    posted: Generated<number>;
    held: Generated<number>;
    created_at: string;
  };
  transactions: {
    seq: number;
    id: string;
    kind: string;
    actor: string;
    memo: string | null;
    ref_type: string | null;
    ref_id: string | null;
    reverses_id: string | null;
    created_at: string;
    prev_hash: string;
    hash: string;
  };
  postings: {
    tx_id: string;
    seq: number;
    account_id: string;
    amount: number;
    balance_after: number;
    created_at: string;
  };
  transaction_seals: { tx_id: string };
  holds: {
    id: string;
    account_id: string;
    destination_account_id: string;
    amount: number;
    ref_type: string | null;
    ref_id: string | null;
    actor: string;
    expires_at: string;
    created_at: string;
  };
  hold_resolutions: {
    hold_id: string;
    kind: 'capture' | 'void' | 'expire';
    amount: number;
    tx_id: string | null;
    actor: string;
    created_at: string;
  };
  idempotency_keys: {
    scope: string;
    key: string;
    request_hash: string;
    status: number;
    body: string;
    created_at: string;
  };
  activity_types: {
    code: string;
    version: number;
    name_zh: string;
    name_en: string;
    unit: 'participation' | 'hour' | 'report';
    points_per_unit: number;
    daily_cap: number | null;
    monthly_cap: number | null;
    requires_evidence: number;
    maker_checker_threshold: number | null;
    created_by: string;
    created_at: string;
  };
  campaigns: {
    id: string;
    name: string;
    multiplier: string;
    starts_at: string;
    ends_at: string;
    activity_codes: string | null;
    org_id: string | null;
    created_by: string;
    created_at: string;
  };
  events: {
    id: string;
    org_id: string;
    activity_code: string;
    title: string;
    starts_at: string;
    ends_at: string | null;
    location: string | null;
    created_by: string;
    created_at: string;
  };
  claims: {
    id: string;
    member_id: string;
    org_id: string;
    activity_code: string;
    activity_version: number;
    event_id: string | null;
    report_ref: string | null;
    units: number;
    occurred_at: string;
    evidence_url: string | null;
    multiplier: string;
    campaign_id: string | null;
    points: number;
    submitted_by: string;
    submitted_sub: string;
    submitted_role: 'admin' | 'organizer' | 'worker';
    created_at: string;
    /** The age limit (days) the claim was accepted under. */
    max_age_days: number;
    /** Why an admin recorded a claim older than the limit; null otherwise. */
    backfill_reason: string | null;
    /** The programme-time day of occurred_at, 'YYYY-MM-DD'. */
    programme_day: string | null;
    /** The recording organizer's org (its scope); null for admins and workers. */
    submitter_org_id: string | null;
    /** Stored photo evidence the submitter uploaded (schema/0012_evidence.sql). */
    evidence_id: string | null;
  };
  /** Attendance at events (schema/0013_attendance.sql). */
  event_attendance: { event_id: string; opens_at: string; closes_at: string; opened_by: string; created_at: string };
  attendance_confirmations: { event_id: string; confirmed_by: string; created_at: string };
  attendance_check_ins: { event_id: string; member_id: string; at: string; step: number; created_at: string };
  attendance_check_outs: { event_id: string; member_id: string; at: string; step: number; created_at: string };
  attendance_corrections: { id: string; event_id: string; member_id: string; hours: number; reason: string; corrected_by: string; created_at: string };
  /** Service-record certificates (schema/0014_certificates.sql). */
  certificates: {
    number: string;
    org_id: string;
    org_seq: number;
    member_id: string;
    period_from: string;
    period_to: string;
    content: string;
    jws: string;
    claim_ids: string;
    issued_by: string;
    created_at: string;
  };
  certificate_revocations: { number: string; reason: string; revoked_by: string; created_at: string };
  evidence: {
    id: string;
    sha256: string;
    content_type: 'image/jpeg' | 'image/png';
    size: number;
    uploaded_by: string;
    uploader_role: 'admin' | 'organizer' | 'worker';
    member_id: string | null;
    created_at: string;
  };
  claim_decisions: {
    claim_id: string;
    decision: 'approve' | 'reject' | 'revoke';
    mode: 'auto' | 'manual';
    decided_by: string;
    decided_sub: string;
    decided_member_id: string | null;
    reason: string | null;
    points_credited: number;
    points_capped: number;
    cap_reason: string | null;
    credit_key_event: string | null;
    credit_key_report: string | null;
    tx_id: string | null;
    paid_by_org_id: string | null;
    created_at: string;
  };
  auto_approval_totals: {
    decided_sub: string;
    member_id: string;
    activity_code: string;
    day: string;
    points: number;
    threshold: number;
  };
  earning_totals: {
    member_id: string;
    activity_code: string;
    period: string;
    points: number;
    cap: number | null;
  };
  control_refusals: {
    id: string;
    kind: string;
    actor: string;
    subject_id: string | null;
    detail: string | null;
    created_at: string;
  };
  merchants: { id: string; name: string; org_id: string; account_id: string; created_at: string };
  rewards: {
    id: string;
    merchant_id: string;
    kind: 'goods' | 'discount_card';
    name: string;
    price: number;
    stock: number | null;
    per_member_limit: number | null;
    limit_period: 'day' | 'month' | 'year' | 'ever';
    card_percent_off: string | null;
    card_amount_off_cny: string | null;
    card_valid_days: number | null;
    card_uses: number | null;
    active: number;
    created_at: string;
    updated_at: string;
  };
  reward_member_counts: { reward_id: string; member_id: string; period: string; quantity: number; max: number };
  redeem_codes: { code_hash: string; member_id: string; expires_at: string; created_at: string; max_points: number | null };
  redemption_counts: { redemption_id: string; reward_id: string; member_id: string; period: string; quantity: number };
  redeem_code_uses: { code_hash: string; member_id: string; used_for: string; created_at: string };
  redeem_failures: {
    id: string;
    merchant_id: string;
    actor: string;
    code_hash: string;
    member_id: string | null;
    reason: 'invalid' | 'used' | 'expired' | 'rate_limited';
    window_start: string;
    created_at: string;
  };
  redeem_failure_counts: { scope: string; window_start: string; failures: number };
  /** A view whose INSTEAD OF trigger refuses an attempt over the limits; inserting writes nothing. */
  redeem_attempt_gate: { merchant_id: string; code_hash: string; window_start: string; merchant_max: number; code_max: number };
  redemptions: {
    id: string;
    merchant_id: string;
    reward_id: string;
    member_id: string;
    quantity: number;
    unit_price: number;
    points: number;
    tx_id: string;
    hold_id: string | null;
    refundable_until: string;
    created_at: string;
  };
  refunds: { redemption_id: string; reason: string; tx_id: string; actor: string; created_at: string };
  cards: {
    id: string;
    code: string;
    redemption_id: string;
    member_id: string;
    merchant_id: string;
    reward_id: string;
    name: string;
    percent_off: string | null;
    amount_off_cny: string | null;
    uses: number;
    expires_at: string;
    created_at: string;
  };
  card_uses: {
    card_id: string;
    n: number;
    merchant_id: string;
    bill_cny: string | null;
    discount_cny: string | null;
    actor: string;
    created_at: string;
  };
  reward_holds: {
    hold_id: string;
    reward_id: string;
    merchant_id: string;
    member_id: string;
    quantity: number;
    unit_price: number;
    periods: string;
  };
  settlements: {
    id: string;
    merchant_id: string;
    points: number;
    cny: string;
    rate_cny: string;
    period_from: string | null;
    period_to: string | null;
    reference: string | null;
    tx_id: string;
    actor: string;
    created_at: string;
  };
  settlement_reversals: { settlement_id: string; reason: string; tx_id: string; actor: string; created_at: string };
  points_expiries: { tx_id: string; account_id: string; expires_through: string; created_at: string };
  reversal_rules: { kind: string; reversed_kind: string };
  checkpoints: { id: string; seq: number; hash: string; issued_at: string; jws: string; actor: string };
  /** The interval slot a scheduler's checkpoint was signed for. */
  scheduled_checkpoints: { slot: string; checkpoint_id: string };
  member_preferences: { member_id: string; leaderboard_opt_out: number; updated_at: string };
  /** One-time enrolment codes (schema/0011): only the SHA-256 of a code is kept. */
  sign_in_codes: { id: string; member_id: string; code_hash: string; expires_at: string; actor: string; created_at: string };
  sign_in_code_uses: { code_id: string; member_id: string; retry_key_hash: string | null; session_expires_at: string; created_at: string };
  sign_in_code_revocations: { code_id: string; reason: string | null; actor: string; created_at: string };
  d1_migrations: {
    id: Generated<number>;
    name: string;
    applied_at: Generated<string>;
  };
}

export type Db = Kysely<Database>;
