-- Earning: activity rules as versioned data, campaigns, events, claims and
-- their decisions. As in 0001, every control that must hold under
-- concurrency is a constraint or trigger, so it holds on D1 batches too.

INSERT INTO transaction_kinds (kind, allows_overdraft) VALUES
  ('claim_credit', 0),
  -- A revoked credit comes back even if the worker already spent it: the
  -- worker may go negative, and the anomaly report shows it.
  ('claim_revocation', 1);

-- Activity types: a change is a new version; claims keep the version they
-- were priced with. Points and caps in hundredths.
CREATE TABLE activity_types (
  code                    TEXT NOT NULL,
  version                 INTEGER NOT NULL CHECK (version >= 1),
  name_zh                 TEXT NOT NULL,
  name_en                 TEXT NOT NULL,
  unit                    TEXT NOT NULL CHECK (unit IN ('participation', 'hour', 'report')),
  points_per_unit         INTEGER NOT NULL CHECK (points_per_unit > 0),
  daily_cap               INTEGER CHECK (daily_cap > 0),
  monthly_cap             INTEGER CHECK (monthly_cap > 0),
  requires_evidence       INTEGER NOT NULL CHECK (requires_evidence IN (0, 1)),
  maker_checker_threshold INTEGER CHECK (maker_checker_threshold >= 0),
  created_by              TEXT NOT NULL,
  created_at              TEXT NOT NULL,
  PRIMARY KEY (code, version)
);

-- Versions are contiguous: a new version names the one before it.
CREATE TRIGGER activity_types_versions_contiguous
BEFORE INSERT ON activity_types
BEGIN
  SELECT RAISE(ABORT, 'activity_version_conflict')
  WHERE NEW.version <> coalesce((SELECT max(version) FROM activity_types WHERE code = NEW.code), 0) + 1;
END;

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
CREATE TABLE claims (
  id               TEXT PRIMARY KEY,
  member_id        TEXT NOT NULL REFERENCES members (id),
  -- The org the claim belongs to (scope of who may decide it): the event's
  -- org, else the member's home org.
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  activity_code    TEXT NOT NULL,
  activity_version INTEGER NOT NULL,
  event_id         TEXT REFERENCES events (id),
  report_ref       TEXT,
  units            INTEGER NOT NULL CHECK (units > 0),
  occurred_at      TEXT NOT NULL,
  evidence_url     TEXT,
  multiplier       TEXT NOT NULL,
  campaign_id      TEXT REFERENCES campaigns (id),
  points           INTEGER NOT NULL CHECK (points >= 0),
  submitted_by     TEXT NOT NULL,
  submitted_sub    TEXT NOT NULL,
  submitted_role   TEXT NOT NULL CHECK (submitted_role IN ('admin', 'organizer', 'worker')),
  created_at       TEXT NOT NULL,
  FOREIGN KEY (activity_code, activity_version) REFERENCES activity_types (code, version)
);
CREATE INDEX claims_org ON claims (org_id, created_at);
CREATE INDEX claims_member ON claims (member_id, created_at);
CREATE INDEX claims_event ON claims (event_id);
CREATE INDEX claims_report_ref ON claims (report_ref) WHERE report_ref IS NOT NULL;

CREATE TRIGGER claims_evidence_required
BEFORE INSERT ON claims
WHEN NEW.submitted_role = 'worker' AND NEW.evidence_url IS NULL
BEGIN
  SELECT RAISE(ABORT, 'evidence_required')
  FROM activity_types t
  WHERE t.code = NEW.activity_code AND t.version = NEW.activity_version AND t.requires_evidence = 1;
END;

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
  points_credited   INTEGER NOT NULL DEFAULT 0 CHECK (points_credited >= 0),
  points_capped     INTEGER NOT NULL DEFAULT 0 CHECK (points_capped >= 0),
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

CREATE TRIGGER claim_decisions_controls
BEFORE INSERT ON claim_decisions
BEGIN
  SELECT RAISE(ABORT, 'claim_already_decided')
  WHERE NEW.decision IN ('approve', 'reject')
    AND EXISTS (SELECT 1 FROM claim_decisions WHERE claim_id = NEW.claim_id AND decision IN ('approve', 'reject'));
  SELECT RAISE(ABORT, 'claim_not_approved')
  WHERE NEW.decision = 'revoke'
    AND NOT EXISTS (SELECT 1 FROM claim_decisions WHERE claim_id = NEW.claim_id AND decision = 'approve');
  SELECT RAISE(ABORT, 'claim_already_revoked')
  WHERE NEW.decision = 'revoke'
    AND EXISTS (SELECT 1 FROM claim_decisions WHERE claim_id = NEW.claim_id AND decision = 'revoke');
  -- Nobody approves or rejects what they submitted, or a claim crediting themselves.
  SELECT RAISE(ABORT, 'self_approval')
  FROM claims c
  WHERE c.id = NEW.claim_id AND NEW.mode = 'manual' AND NEW.decision IN ('approve', 'reject')
    AND (c.submitted_sub = NEW.decided_sub OR c.member_id = NEW.decided_member_id);
  -- Approval on submission: only what an organizer or admin recorded, within
  -- the threshold, never crediting the recorder.
  SELECT RAISE(ABORT, 'needs_second_approver')
  FROM claims c JOIN activity_types t ON t.code = c.activity_code AND t.version = c.activity_version
  WHERE c.id = NEW.claim_id AND NEW.mode = 'auto'
    AND (NEW.decision <> 'approve'
         OR c.submitted_role NOT IN ('organizer', 'admin')
         OR c.submitted_sub <> NEW.decided_sub
         OR c.member_id = NEW.decided_member_id
         OR (t.maker_checker_threshold IS NOT NULL AND c.points > t.maker_checker_threshold));
  SELECT RAISE(ABORT, 'credit_mismatch')
  FROM claims c
  WHERE c.id = NEW.claim_id AND NEW.decision = 'approve'
    AND (NEW.points_credited + NEW.points_capped <> c.points
         OR NEW.credit_key_event IS NOT (CASE WHEN c.event_id IS NULL THEN NULL ELSE c.member_id || ':' || c.event_id END)
         OR NEW.credit_key_report IS NOT (CASE WHEN c.report_ref IS NULL THEN NULL ELSE c.member_id || ':' || c.report_ref END));
END;

CREATE TRIGGER claim_decisions_no_update BEFORE UPDATE ON claim_decisions
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER claim_decisions_no_delete BEFORE DELETE ON claim_decisions
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER claims_no_update BEFORE UPDATE ON claims
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER activity_types_no_update BEFORE UPDATE ON activity_types
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER activity_types_no_delete BEFORE DELETE ON activity_types
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER campaigns_no_delete BEFORE DELETE ON campaigns
BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- Credited points per member, activity and period ('d:YYYY-MM-DD' or
-- 'm:YYYY-MM' in programme time), kept with the cap the credit was clipped
-- against: a concurrent credit that would pass the cap fails the CHECK and
-- is recomputed, instead of both slipping through.
CREATE TABLE earning_totals (
  member_id     TEXT NOT NULL,
  activity_code TEXT NOT NULL,
  period        TEXT NOT NULL,
  points        INTEGER NOT NULL CHECK (points >= 0),
  cap           INTEGER,
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
