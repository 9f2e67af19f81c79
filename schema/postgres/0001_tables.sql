-- Jifen on PostgreSQL 15: every table, index and view, and the seed rows.
-- Frozen once landed: later changes are new migrations.
--
-- This is the final state of the SQLite migrations 0001-0015, not their
-- history: PostgreSQL starts fresh. The guards (triggers) are in 0002 and
-- 0003; the constraints are here, with the names the application maps to its
-- refusals (src/refusals/).
--
-- Types: TEXT stays TEXT, and times stay ISO-8601 text compared as text (the
-- database has a byte-order collation, C.UTF-8, as SQLite compares). Every
-- INTEGER is BIGINT: amounts are hundredths, up to 2^53. No column was
-- assigned by SQLite's rowid, so there is no sequence or identity.
--
-- Two foreign keys name a table created later (members.change_id,
-- claims.evidence_id): they are added by ALTER TABLE once it exists.

-- SQLite's json_valid(x) AND json_type(x) = 'object', for the CHECKs on
-- member_changes. PostgreSQL 15 has no IS JSON, and a bare cast would fail
-- the INSERT with a parse error instead of the CHECK.
CREATE FUNCTION json_is_object(doc TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN json_typeof(doc::json) = 'object';
EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
  RETURN false;
END;
$$;

CREATE TABLE orgs (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('city','district','street','community','grid','station','industry')),
  parent_id  TEXT REFERENCES orgs (id),
  -- Materialised path '/root/.../id/' so a subtree is one indexed prefix range.
  path       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

-- member_no: a serial (from 1001) and two check digits, ISO 7064 MOD 97-10,
-- assigned by the database as the member is inserted (0002). status: a
-- deactivated member keeps history and balance but earns and spends nothing.
-- change_id: the recorded change the current values come from; its foreign
-- key is added after member_changes (the two tables name each other).
CREATE TABLE members (
  id           TEXT PRIMARY KEY,
  display_name TEXT,
  platform     TEXT,
  home_org_id  TEXT NOT NULL REFERENCES orgs (id),
  external_ref TEXT UNIQUE,
  account_id   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  member_no    BIGINT,
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
  change_id    TEXT
);
CREATE INDEX members_home_org ON members (home_org_id);
CREATE UNIQUE INDEX members_member_no ON members (member_no);

-- Kinds of ledger transaction; allows_overdraft names the kinds that may take
-- a no-overdraft account below zero (only reversals of earned credits).
CREATE TABLE transaction_kinds (
  kind             TEXT PRIMARY KEY,
  allows_overdraft BIGINT NOT NULL DEFAULT 0 CHECK (allows_overdraft IN (0, 1))
);
-- A revoked credit comes back even if the worker already spent it; a refund
-- after settlement may leave the merchant owing points (the next settlement
-- nets it).
INSERT INTO transaction_kinds (kind, allows_overdraft) VALUES
  ('budget_allocation', 0),
  ('adjustment', 0),
  ('reversal', 0),
  ('hold_capture', 0),
  ('claim_credit', 0),
  ('claim_revocation', 1),
  ('redemption', 0),
  ('redemption_refund', 1),
  ('settlement', 0),
  ('points_expiry', 0),
  ('settlement_reversal', 0);

CREATE TABLE accounts (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('issuance','budget','worker','merchant','settled','expired')),
  owner_id     TEXT,
  no_overdraft BIGINT NOT NULL CHECK (no_overdraft IN (0, 1)),
  -- Stored balances, maintained only by the triggers in 0002.
  posted       BIGINT NOT NULL DEFAULT 0,
  held         BIGINT NOT NULL DEFAULT 0 CHECK (held >= 0),
  created_at   TEXT NOT NULL
);
CREATE INDEX accounts_kind ON accounts (kind);
INSERT INTO accounts (id, kind, owner_id, no_overdraft, posted, held, created_at) VALUES
  ('program:issuance', 'issuance', NULL, 0, 0, 0, '1970-01-01T00:00:00.000Z'),
  ('program:settled',  'settled',  NULL, 1, 0, 0, '1970-01-01T00:00:00.000Z'),
  ('program:expired',  'expired',  NULL, 1, 0, 0, '1970-01-01T00:00:00.000Z');

-- The hash chain. seq is contiguous from 1 and given by the writer (head + 1),
-- not by the database; each row names the hash of the row before it, so two
-- writers cannot both extend the chain from one head (the second hits the
-- PRIMARY KEY on seq).
CREATE TABLE transactions (
  seq         BIGINT PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL REFERENCES transaction_kinds (kind),
  actor       TEXT NOT NULL,
  memo        TEXT,
  ref_type    TEXT,
  ref_id      TEXT,
  reverses_id TEXT UNIQUE REFERENCES transactions (id),
  created_at  TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX transactions_ref ON transactions (ref_type, ref_id);
CREATE INDEX transactions_kind_created ON transactions (kind, created_at);
CREATE INDEX transactions_actor ON transactions (actor, seq);

CREATE TABLE postings (
  tx_id         TEXT NOT NULL REFERENCES transactions (id),
  seq           BIGINT NOT NULL,
  account_id    TEXT NOT NULL REFERENCES accounts (id),
  amount        BIGINT NOT NULL CHECK (amount <> 0),
  -- Posted balance of the account after this posting: statements and
  -- balance-at-time read it instead of summing from the start.
  balance_after BIGINT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (tx_id, account_id)
);
CREATE INDEX postings_account_seq ON postings (account_id, seq);
CREATE INDEX postings_seq ON postings (seq);
CREATE INDEX postings_account_created ON postings (account_id, created_at);

-- Written last in every ledger write: refuses a transaction whose postings
-- do not sum to zero or that has fewer than two.
CREATE TABLE transaction_seals (
  tx_id TEXT PRIMARY KEY REFERENCES transactions (id)
);

-- Holds: a reservation of part of an account's balance. A hold resolves
-- exactly once (PRIMARY KEY of hold_resolutions): captured in full or in
-- part, voided, or expired.
CREATE TABLE holds (
  id                     TEXT PRIMARY KEY,
  account_id             TEXT NOT NULL REFERENCES accounts (id),
  destination_account_id TEXT NOT NULL REFERENCES accounts (id),
  amount                 BIGINT NOT NULL CHECK (amount > 0),
  ref_type               TEXT,
  ref_id                 TEXT,
  actor                  TEXT NOT NULL,
  expires_at             TEXT NOT NULL,
  created_at             TEXT NOT NULL,
  CHECK (account_id <> destination_account_id),
  CHECK (expires_at > created_at)
);
CREATE INDEX holds_account ON holds (account_id);
CREATE INDEX holds_expires ON holds (expires_at);

CREATE TABLE hold_resolutions (
  hold_id    TEXT PRIMARY KEY REFERENCES holds (id),
  kind       TEXT NOT NULL CHECK (kind IN ('capture','void','expire')),
  amount     BIGINT NOT NULL CHECK (amount >= 0),
  tx_id      TEXT UNIQUE,
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((kind = 'capture') = (amount > 0)),
  CHECK ((kind = 'capture') = (tx_id IS NOT NULL))
);

-- Idempotency: the first answer to (caller, key) is stored in the same atomic
-- write as its effects, so a duplicate either replays it or was never written.
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       BIGINT NOT NULL,
  body         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Activity types: a change is a new version; claims keep the version they
-- were priced with. Points and caps in hundredths.
CREATE TABLE activity_types (
  code                    TEXT NOT NULL,
  version                 BIGINT NOT NULL CHECK (version >= 1),
  name_zh                 TEXT NOT NULL,
  name_en                 TEXT NOT NULL,
  unit                    TEXT NOT NULL CHECK (unit IN ('participation', 'hour', 'report')),
  points_per_unit         BIGINT NOT NULL CHECK (points_per_unit > 0),
  daily_cap               BIGINT CHECK (daily_cap > 0),
  monthly_cap             BIGINT CHECK (monthly_cap > 0),
  requires_evidence       BIGINT NOT NULL CHECK (requires_evidence IN (0, 1)),
  maker_checker_threshold BIGINT CHECK (maker_checker_threshold >= 0),
  created_by              TEXT NOT NULL,
  created_at              TEXT NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE TABLE campaigns (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  -- Decimal string, e.g. "2" or "1.5"; applied with decimal.js.
  multiplier     TEXT NOT NULL,
  starts_at      TEXT NOT NULL,
  ends_at        TEXT NOT NULL,
  -- JSON array of activity codes, or NULL for every activity.
  activity_codes TEXT,
  -- Limits the campaign to this org's subtree, or NULL for the whole programme.
  org_id         TEXT REFERENCES orgs (id),
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX campaigns_window ON campaigns (starts_at, ends_at);

CREATE TABLE events (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES orgs (id),
  activity_code TEXT NOT NULL,
  title         TEXT NOT NULL,
  starts_at     TEXT NOT NULL,
  ends_at       TEXT,
  location      TEXT,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX events_org ON events (org_id, starts_at);

-- A claim never changes; its state is the decisions recorded against it.
-- evidence_id's foreign key is added after evidence.
CREATE TABLE claims (
  id               TEXT PRIMARY KEY,
  member_id        TEXT NOT NULL REFERENCES members (id),
  -- The org the claim belongs to (scope of who may decide it): the event's
  -- org, else the member's home org.
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  activity_code    TEXT NOT NULL,
  activity_version BIGINT NOT NULL,
  event_id         TEXT REFERENCES events (id),
  report_ref       TEXT,
  units            BIGINT NOT NULL CHECK (units > 0),
  occurred_at      TEXT NOT NULL,
  evidence_url     TEXT,
  multiplier       TEXT NOT NULL,
  campaign_id      TEXT REFERENCES campaigns (id),
  points           BIGINT NOT NULL CHECK (points >= 0),
  submitted_by     TEXT NOT NULL,
  submitted_sub    TEXT NOT NULL,
  submitted_role   TEXT NOT NULL CHECK (submitted_role IN ('admin', 'organizer', 'worker')),
  created_at       TEXT NOT NULL,
  max_age_days     BIGINT NOT NULL DEFAULT 30,
  -- Set (to why) only when an admin records a claim older than max_age_days.
  backfill_reason  TEXT,
  -- The programme-time day ('YYYY-MM-DD') of occurred_at, as caps count it.
  programme_day    TEXT,
  -- The org of the organizer who recorded the claim (its scope).
  submitter_org_id TEXT,
  evidence_id      TEXT,
  FOREIGN KEY (activity_code, activity_version) REFERENCES activity_types (code, version)
);
CREATE INDEX claims_org ON claims (org_id, created_at);
CREATE INDEX claims_member ON claims (member_id, created_at);
CREATE INDEX claims_event ON claims (event_id);
CREATE INDEX claims_report_ref ON claims (report_ref) WHERE report_ref IS NOT NULL;
CREATE INDEX claims_backfill ON claims (created_at) WHERE backfill_reason IS NOT NULL;
CREATE INDEX claims_evidence ON claims (evidence_id) WHERE evidence_id IS NOT NULL;

CREATE TABLE claim_decisions (
  claim_id          TEXT NOT NULL REFERENCES claims (id),
  decision          TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'revoke')),
  -- 'auto': approved on submission by the organizer who recorded it (only
  -- within the type's maker-checker threshold); 'manual': by a second person.
  mode              TEXT NOT NULL CHECK (mode IN ('auto', 'manual')),
  decided_by        TEXT NOT NULL,
  decided_sub       TEXT NOT NULL,
  decided_member_id TEXT,
  reason            TEXT,
  points_credited   BIGINT NOT NULL DEFAULT 0 CHECK (points_credited >= 0),
  points_capped     BIGINT NOT NULL DEFAULT 0 CHECK (points_capped >= 0),
  cap_reason        TEXT,
  -- One credit per member per event and per report reference.
  credit_key_event  TEXT,
  credit_key_report TEXT,
  -- The credit or revocation transaction (a roster shares one credit).
  tx_id             TEXT,
  -- Whose budget paid: the nearest org, from the claim's org up, that has
  -- ever received a budget allocation; a revocation pays it back.
  paid_by_org_id    TEXT REFERENCES orgs (id),
  created_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX claim_decisions_once ON claim_decisions (claim_id) WHERE decision IN ('approve', 'reject');
CREATE UNIQUE INDEX claim_decisions_revoke_once ON claim_decisions (claim_id) WHERE decision = 'revoke';
CREATE UNIQUE INDEX claim_credits_event ON claim_decisions (credit_key_event) WHERE decision = 'approve';
CREATE UNIQUE INDEX claim_credits_report ON claim_decisions (credit_key_report) WHERE decision = 'approve';
CREATE INDEX claim_decisions_tx ON claim_decisions (tx_id);
CREATE INDEX claim_decisions_claim ON claim_decisions (claim_id);

-- Credited points per member, activity and period ('d:YYYY-MM-DD' or
-- 'm:YYYY-MM' in programme time), kept with the cap the credit was clipped
-- against: a concurrent credit that would pass the cap fails the CHECK and
-- is recomputed, instead of both slipping through.
CREATE TABLE earning_totals (
  member_id     TEXT NOT NULL,
  activity_code TEXT NOT NULL,
  period        TEXT NOT NULL,
  points        BIGINT NOT NULL CHECK (points >= 0),
  cap           BIGINT,
  PRIMARY KEY (member_id, activity_code, period),
  CONSTRAINT earning_cap CHECK (cap IS NULL OR points <= cap)
);

-- Refused controls (self-approval attempts, …) kept for the anomaly report.
CREATE TABLE control_refusals (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  subject_id TEXT,
  detail     TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX control_refusals_kind ON control_refusals (kind, created_at);

CREATE TABLE merchants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  account_id TEXT NOT NULL UNIQUE REFERENCES accounts (id),
  created_at TEXT NOT NULL
);
CREATE INDEX merchants_org ON merchants (org_id);

-- The catalog. Price and stock change over time (a redemption records the
-- price it paid); stock is decremented by the redemption's own write and
-- can never go below zero.
CREATE TABLE rewards (
  id                   TEXT PRIMARY KEY,
  merchant_id          TEXT NOT NULL REFERENCES merchants (id),
  kind                 TEXT NOT NULL CHECK (kind IN ('goods', 'discount_card')),
  name                 TEXT NOT NULL,
  price                BIGINT NOT NULL CHECK (price > 0),
  stock                BIGINT,
  per_member_limit     BIGINT CHECK (per_member_limit > 0),
  limit_period         TEXT NOT NULL DEFAULT 'month' CHECK (limit_period IN ('day', 'month', 'year', 'ever')),
  card_percent_off     TEXT,
  card_amount_off_cny  TEXT,
  card_valid_days      BIGINT CHECK (card_valid_days > 0),
  card_uses            BIGINT CHECK (card_uses > 0),
  active               BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  CONSTRAINT reward_stock CHECK (stock IS NULL OR stock >= 0),
  CHECK (kind = 'goods' OR (card_valid_days IS NOT NULL AND card_uses IS NOT NULL
         AND ((card_percent_off IS NULL) <> (card_amount_off_cny IS NULL))))
);
CREATE INDEX rewards_merchant ON rewards (merchant_id);

-- What a member has taken of a limited reward per period ('d:…', 'm:…',
-- 'y:…' or 'ever'), with the limit it was taken under.
CREATE TABLE reward_member_counts (
  reward_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  period    TEXT NOT NULL,
  quantity  BIGINT NOT NULL CHECK (quantity >= 0),
  max       BIGINT NOT NULL,
  PRIMARY KEY (reward_id, member_id, period),
  CONSTRAINT member_limit CHECK (quantity <= max)
);

-- One-time redeem codes. Only a hash is stored: a copy of the database does
-- not reveal live codes. max_points: the most points the worker lets the code
-- spend (NULL only for codes issued before SQLite 0007).
CREATE TABLE redeem_codes (
  code_hash  TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members (id),
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  max_points BIGINT CHECK (max_points IS NULL OR max_points > 0),
  CHECK (expires_at > created_at)
);
CREATE INDEX redeem_codes_member ON redeem_codes (member_id, created_at);

CREATE TABLE redeem_code_uses (
  code_hash  TEXT PRIMARY KEY REFERENCES redeem_codes (code_hash),
  member_id  TEXT NOT NULL,
  used_for   TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX redeem_code_uses_used_for ON redeem_code_uses (used_for);

CREATE TABLE redemptions (
  id                TEXT PRIMARY KEY,
  merchant_id       TEXT NOT NULL REFERENCES merchants (id),
  reward_id         TEXT NOT NULL REFERENCES rewards (id),
  member_id         TEXT NOT NULL REFERENCES members (id),
  quantity          BIGINT NOT NULL CHECK (quantity > 0),
  unit_price        BIGINT NOT NULL CHECK (unit_price > 0),
  points            BIGINT NOT NULL CHECK (points = unit_price * quantity),
  tx_id             TEXT NOT NULL UNIQUE,
  hold_id           TEXT UNIQUE,
  refundable_until  TEXT NOT NULL,
  created_at        TEXT NOT NULL
);
CREATE INDEX redemptions_merchant ON redemptions (merchant_id, created_at);
CREATE INDEX redemptions_member ON redemptions (member_id, created_at);

CREATE TABLE refunds (
  redemption_id TEXT PRIMARY KEY REFERENCES redemptions (id),
  reason        TEXT NOT NULL,
  tx_id         TEXT NOT NULL UNIQUE,
  actor         TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- Discount cards issued by a redemption: used at their merchant only, until
-- they expire or their uses run out; revoked by a refund while unused.
CREATE TABLE cards (
  id              TEXT PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  redemption_id   TEXT NOT NULL REFERENCES redemptions (id),
  member_id       TEXT NOT NULL REFERENCES members (id),
  merchant_id     TEXT NOT NULL REFERENCES merchants (id),
  reward_id       TEXT NOT NULL REFERENCES rewards (id),
  name            TEXT NOT NULL,
  percent_off     TEXT,
  amount_off_cny  TEXT,
  uses            BIGINT NOT NULL CHECK (uses > 0),
  expires_at      TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX cards_member ON cards (member_id, created_at);
CREATE INDEX cards_redemption ON cards (redemption_id);

CREATE TABLE card_uses (
  card_id      TEXT NOT NULL REFERENCES cards (id),
  n            BIGINT NOT NULL CHECK (n >= 1),
  merchant_id  TEXT NOT NULL,
  bill_cny     TEXT,
  discount_cny TEXT,
  actor        TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (card_id, n)
);

-- A reward reserved for pickup: the points are a ledger hold; the stock
-- and the member's limit are taken now and given back if the hold is voided
-- or expires.
CREATE TABLE reward_holds (
  hold_id     TEXT PRIMARY KEY REFERENCES holds (id),
  reward_id   TEXT NOT NULL REFERENCES rewards (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  member_id   TEXT NOT NULL REFERENCES members (id),
  quantity    BIGINT NOT NULL CHECK (quantity > 0),
  unit_price  BIGINT NOT NULL CHECK (unit_price > 0),
  periods     TEXT NOT NULL
);
CREATE INDEX reward_holds_member ON reward_holds (member_id);
CREATE INDEX reward_holds_merchant ON reward_holds (merchant_id);

CREATE TABLE settlements (
  id           TEXT PRIMARY KEY,
  merchant_id  TEXT NOT NULL REFERENCES merchants (id),
  points       BIGINT NOT NULL CHECK (points > 0),
  cny          TEXT NOT NULL,
  rate_cny     TEXT NOT NULL,
  period_from  TEXT,
  period_to    TEXT,
  reference    TEXT,
  tx_id        TEXT NOT NULL UNIQUE,
  actor        TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX settlements_merchant ON settlements (merchant_id, created_at);

-- Signed checkpoints: a JWS (EdDSA) over { seq, hash, issued_at } of the
-- chain head. Each names a seq no lower than the one before.
CREATE TABLE checkpoints (
  id         TEXT PRIMARY KEY,
  seq        BIGINT NOT NULL,
  hash       TEXT NOT NULL,
  issued_at  TEXT NOT NULL,
  jws        TEXT NOT NULL,
  actor      TEXT NOT NULL
);
CREATE INDEX checkpoints_issued ON checkpoints (issued_at);
CREATE INDEX checkpoints_seq ON checkpoints (seq);

CREATE TABLE member_preferences (
  member_id           TEXT PRIMARY KEY REFERENCES members (id),
  leaderboard_opt_out BIGINT NOT NULL DEFAULT 0 CHECK (leaderboard_opt_out IN (0, 1)),
  updated_at          TEXT NOT NULL
);

-- Every failed or refused attempt, kept as evidence for the anomaly report.
CREATE TABLE redeem_failures (
  id           TEXT PRIMARY KEY,
  merchant_id  TEXT NOT NULL,
  actor        TEXT NOT NULL,
  code_hash    TEXT NOT NULL,
  member_id    TEXT,
  reason       TEXT NOT NULL CHECK (reason IN ('invalid', 'used', 'expired', 'rate_limited')),
  window_start TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX redeem_failures_merchant ON redeem_failures (merchant_id, created_at);
CREATE INDEX redeem_failures_created ON redeem_failures (created_at);

-- Failures per scope ('merchant:<id>' or 'code:<sha-256>') and window,
-- counted by the same statement that records the failure.
CREATE TABLE redeem_failure_counts (
  scope        TEXT NOT NULL,
  window_start TEXT NOT NULL,
  failures     BIGINT NOT NULL CHECK (failures > 0),
  PRIMARY KEY (scope, window_start)
);

-- What a redemption counted toward its member's limit, written by the
-- redemption's own write. A refund gives back exactly these rows.
CREATE TABLE redemption_counts (
  redemption_id TEXT NOT NULL REFERENCES redemptions (id),
  reward_id     TEXT NOT NULL,
  member_id     TEXT NOT NULL,
  period        TEXT NOT NULL,
  quantity      BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (redemption_id, period)
);

-- Points (before caps) each decider approved on submission, per member,
-- activity and programme day, with the threshold they were held to. A total
-- above the threshold fails the CHECK and the whole write is refused.
CREATE TABLE auto_approval_totals (
  decided_sub   TEXT NOT NULL,
  member_id     TEXT NOT NULL,
  activity_code TEXT NOT NULL,
  day           TEXT NOT NULL,
  points        BIGINT NOT NULL CHECK (points >= 0),
  threshold     BIGINT NOT NULL,
  PRIMARY KEY (decided_sub, member_id, activity_code, day),
  CONSTRAINT auto_approval_threshold CHECK (points <= threshold)
);

-- Which kind of transaction may reverse (reverses_id) which. A pair not listed
-- is refused, so a kind added later is not reversible until it is named here.
CREATE TABLE reversal_rules (
  kind          TEXT NOT NULL REFERENCES transaction_kinds (kind),
  reversed_kind TEXT NOT NULL REFERENCES transaction_kinds (kind),
  PRIMARY KEY (kind, reversed_kind)
);
INSERT INTO reversal_rules (kind, reversed_kind) VALUES
  ('reversal', 'budget_allocation'),
  ('reversal', 'adjustment'),
  ('redemption_refund', 'redemption'),
  ('redemption_refund', 'hold_capture'),
  ('settlement_reversal', 'settlement');

-- A settlement is reversed once, by its own operation.
CREATE TABLE settlement_reversals (
  settlement_id TEXT PRIMARY KEY REFERENCES settlements (id),
  reason        TEXT NOT NULL,
  tx_id         TEXT NOT NULL UNIQUE,
  actor         TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- Points expiry, at most once: each points_expiry transaction names the lot
-- boundary it expired through, and the guard on postings (0002) checks the
-- FIFO invariant as the member's posting goes in.
CREATE TABLE points_expiries (
  tx_id           TEXT PRIMARY KEY REFERENCES transactions (id),
  account_id      TEXT NOT NULL REFERENCES accounts (id),
  expires_through TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  CHECK (expires_through <= created_at)
);
CREATE INDEX points_expiries_account ON points_expiries (account_id, created_at);

-- Scheduled checkpoints: one per interval slot, and never one for a head
-- another checkpoint already covers, so overlapping schedulers sign one.
CREATE TABLE scheduled_checkpoints (
  slot          TEXT PRIMARY KEY,
  checkpoint_id TEXT NOT NULL UNIQUE REFERENCES checkpoints (id)
);

-- Every change to a member is kept: who, when, why, and the fields' values
-- before and after (JSON objects of the fields the change named).
CREATE TABLE member_changes (
  id         TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members (id),
  actor      TEXT NOT NULL,
  reason     TEXT,
  before     TEXT NOT NULL CHECK (json_is_object(before)),
  after      TEXT NOT NULL CHECK (json_is_object(after)),
  created_at TEXT NOT NULL,
  -- The home org the caller's scope was checked against: if the member moved
  -- meanwhile, the change is refused as stale, to be checked again.
  scope_org_id TEXT NOT NULL REFERENCES orgs (id)
);
CREATE INDEX member_changes_member ON member_changes (member_id, created_at);
ALTER TABLE members ADD FOREIGN KEY (change_id) REFERENCES member_changes (id);

CREATE TABLE sign_in_codes (
  id         TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members (id),
  code_hash  TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
  expires_at TEXT NOT NULL,
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX sign_in_codes_member ON sign_in_codes (member_id, created_at);

-- A revocation of an unused code stops its exchange; of a used one, it ends the
-- session it gave.
CREATE TABLE sign_in_code_revocations (
  code_id    TEXT PRIMARY KEY REFERENCES sign_in_codes (id),
  reason     TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- One use per code: the primary key is the guard, so of any number of
-- concurrent exchanges exactly one inserts its row and gets a session.
CREATE TABLE sign_in_code_uses (
  code_id            TEXT PRIMARY KEY REFERENCES sign_in_codes (id),
  member_id          TEXT NOT NULL REFERENCES members (id),
  -- SHA-256 of the Idempotency-Key the exchange came with: a retry with the
  -- same code and key is answered with the same token (re-signed, not stored).
  retry_key_hash     TEXT CHECK (retry_key_hash IS NULL OR length(retry_key_hash) = 64),
  session_expires_at TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  CHECK (session_expires_at > created_at)
);

-- Photo evidence for claims. The bytes live outside the database, addressed
-- by the SHA-256 of what was stored; a row per upload.
CREATE TABLE evidence (
  id            TEXT PRIMARY KEY,
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 !~ '[^0-9a-f]'),
  content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  -- Bytes stored; the limit on an upload is the service's (src/evidence/limits.ts), this only bounds it.
  size          BIGINT NOT NULL CHECK (size > 0 AND size <= 16777216),
  -- Who uploaded it, as claims name their submitter (role:sub).
  uploaded_by   TEXT NOT NULL,
  uploader_role TEXT NOT NULL CHECK (uploader_role IN ('admin', 'organizer', 'worker')),
  -- The uploading worker's member id (null for an organizer or admin).
  member_id     TEXT REFERENCES members (id),
  created_at    TEXT NOT NULL
);
CREATE INDEX evidence_sha256 ON evidence (sha256);
ALTER TABLE claims ADD FOREIGN KEY (evidence_id) REFERENCES evidence (id);

CREATE TABLE event_attendance (
  event_id   TEXT PRIMARY KEY REFERENCES events (id),
  -- When check-in and check-out are accepted: [opens_at, closes_at).
  opens_at   TEXT NOT NULL,
  closes_at  TEXT NOT NULL,
  opened_by  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT attendance_window_invalid CHECK (closes_at > opens_at)
);
CREATE INDEX event_attendance_window ON event_attendance (closes_at, opens_at);

CREATE TABLE attendance_confirmations (
  event_id     TEXT PRIMARY KEY REFERENCES event_attendance (event_id),
  confirmed_by TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE attendance_check_ins (
  event_id   TEXT NOT NULL REFERENCES event_attendance (event_id),
  member_id  TEXT NOT NULL REFERENCES members (id),
  at         TEXT NOT NULL,
  -- The code's time step (Unix seconds / step length) the member presented.
  step       BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (event_id, member_id)
);

CREATE TABLE attendance_check_outs (
  event_id   TEXT NOT NULL REFERENCES event_attendance (event_id),
  member_id  TEXT NOT NULL REFERENCES members (id),
  at         TEXT NOT NULL,
  step       BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (event_id, member_id)
);

-- The organizer's word on a member's hours (hundredths of an hour), with its
-- reason. The latest row counts; the earlier ones stay.
CREATE TABLE attendance_corrections (
  id           TEXT PRIMARY KEY,
  event_id     TEXT NOT NULL REFERENCES event_attendance (event_id),
  member_id    TEXT NOT NULL REFERENCES members (id),
  hours        BIGINT NOT NULL CHECK (hours >= 0),
  reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  corrected_by TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX attendance_corrections_member ON attendance_corrections (event_id, member_id, created_at);

CREATE TABLE certificates (
  number     TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  -- The org's register: 1, 2, 3, ... per org.
  org_seq    BIGINT NOT NULL CHECK (org_seq >= 1),
  member_id  TEXT NOT NULL REFERENCES members (id),
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  -- The certified content (JSON) and the compact JWS over it.
  content    TEXT NOT NULL,
  jws        TEXT NOT NULL,
  -- The claims whose hours it certifies (a JSON array of ids): a later
  -- revocation of any of them revokes the certificate.
  claim_ids  TEXT NOT NULL,
  issued_by  TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX certificates_org_register ON certificates (org_id, org_seq);
CREATE INDEX certificates_member ON certificates (member_id, created_at);

CREATE TABLE certificate_revocations (
  number     TEXT PRIMARY KEY REFERENCES certificates (number),
  reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  revoked_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- The redeem gate: inserting a row here writes nothing, and aborts the whole
-- write when the merchant or the code has used up its failures in the window
-- (its INSTEAD OF trigger is in 0003). Typed columns, so that the inserted
-- values reach the trigger as text and bigint.
CREATE VIEW redeem_attempt_gate (merchant_id, code_hash, window_start, merchant_max, code_max) AS
  SELECT NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT WHERE false;

-- The next member number: the one place the rule is written (src/members/member-number.ts
-- reads numbers back and checks what people type by the same rule).
CREATE VIEW member_next_number AS
SELECT s * 100 + 98 - (s * 100) % 97 AS member_no
FROM (SELECT coalesce(max(member_no) / 100, 1000) + 1 AS s FROM members) AS next;
