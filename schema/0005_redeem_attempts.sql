-- Redeem codes are shown in public (a QR code at a till), so guessing them is
-- rate-limited: failed attempts are counted per merchant and per code in fixed
-- time windows, and once either count reaches its limit every further attempt
-- in that window is refused, a correct guess included. The limit is a guard in
-- the database, part of the same atomic batch as the redemption or the
-- failure it records, so it holds on D1 (batch only) as on better-sqlite3.

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

CREATE TRIGGER redeem_failures_no_update BEFORE UPDATE ON redeem_failures BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER redeem_failures_no_delete BEFORE DELETE ON redeem_failures BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- Failures per scope ('merchant:<id>' or 'code:<sha-256>') and window,
-- counted by the same statement that records the failure.
CREATE TABLE redeem_failure_counts (
  scope        TEXT NOT NULL,
  window_start TEXT NOT NULL,
  failures     INTEGER NOT NULL CHECK (failures > 0),
  PRIMARY KEY (scope, window_start)
);

CREATE TRIGGER redeem_failures_count
AFTER INSERT ON redeem_failures
WHEN NEW.reason <> 'rate_limited'
BEGIN
  INSERT INTO redeem_failure_counts (scope, window_start, failures)
  VALUES ('merchant:' || NEW.merchant_id, NEW.window_start, 1)
  ON CONFLICT (scope, window_start) DO UPDATE SET failures = failures + 1;
  INSERT INTO redeem_failure_counts (scope, window_start, failures)
  VALUES ('code:' || NEW.code_hash, NEW.window_start, 1)
  ON CONFLICT (scope, window_start) DO UPDATE SET failures = failures + 1;
END;

-- The gate: inserting a row here writes nothing, and aborts the whole batch
-- when the merchant or the code has used up its failures in the window. The
-- limits come with the statement (they are configuration, not data).
CREATE VIEW redeem_attempt_gate (merchant_id, code_hash, window_start, merchant_max, code_max) AS
  SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER redeem_attempt_gate_check
INSTEAD OF INSERT ON redeem_attempt_gate
BEGIN
  SELECT RAISE(ABORT, 'redeem_rate_limited')
  WHERE EXISTS (
    SELECT 1 FROM redeem_failure_counts
    WHERE window_start = NEW.window_start
      AND ((scope = 'merchant:' || NEW.merchant_id AND failures >= NEW.merchant_max)
        OR (scope = 'code:' || NEW.code_hash AND failures >= NEW.code_max))
  );
END;
