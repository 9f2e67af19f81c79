-- Ledger hardening (issue 17): what a domain record owns is undone only by
-- that record's operation; points expire at most once whatever the timing of
-- the sweeps; two schedulers never sign two checkpoints for one interval.
-- Guards are triggers, CHECKs and UNIQUE indexes, as in 0001, so they hold on
-- D1 batches (several isolates) as on better-sqlite3.

INSERT INTO transaction_kinds (kind, allows_overdraft) VALUES ('settlement_reversal', 0);

-- Which kind of transaction may reverse (reverses_id) which. A pair not listed
-- is refused, so a kind added later is not reversible until it is named here.
-- The generic admin reversal ('reversal') undoes only what no domain record
-- owns: budget allocations and adjustments. A claim's credit, a redemption, a
-- settlement or an expiry is undone by its record's own operation, which also
-- keeps the record's state (the claim revoked, the card revoked, the
-- settlement marked reversed) in step with the ledger.
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

-- The words name the operation to use instead (src/db/errors.ts).
CREATE TRIGGER transactions_reversal_rules
BEFORE INSERT ON transactions
WHEN NEW.reverses_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'reversal_owned_by_claim')
  FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind IN ('claim_credit', 'claim_revocation')
    AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind);
  SELECT RAISE(ABORT, 'reversal_owned_by_redemption')
  FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind IN ('redemption', 'hold_capture', 'redemption_refund')
    AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind);
  SELECT RAISE(ABORT, 'reversal_owned_by_settlement')
  FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind IN ('settlement', 'settlement_reversal')
    AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind);
  SELECT RAISE(ABORT, 'reversal_owned_by_expiry')
  FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind = 'points_expiry'
    AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind);
  -- Anything else not listed (a reversal of a reversal, a kind added later),
  -- and a generic reversal of a transaction that refers to a domain record
  -- (an allocation's ref names the org it funds, which owns nothing of it).
  SELECT RAISE(ABORT, 'not_reversible')
  FROM transactions t WHERE t.id = NEW.reverses_id
    AND (NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind)
         OR (NEW.kind = 'reversal' AND t.ref_type IS NOT NULL AND t.ref_type <> 'org'));
END;

-- A settlement is reversed once, by its own operation: the reversing
-- transaction (reverses_id = the settlement's, UNIQUE in 0001) gives the
-- merchant its redeemed balance back, to be settled again.
CREATE TABLE settlement_reversals (
  settlement_id TEXT PRIMARY KEY REFERENCES settlements (id),
  reason        TEXT NOT NULL,
  tx_id         TEXT NOT NULL UNIQUE,
  actor         TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TRIGGER settlement_reversals_guard
BEFORE INSERT ON settlement_reversals
BEGIN
  SELECT RAISE(ABORT, 'settlement_already_reversed')
  WHERE EXISTS (SELECT 1 FROM settlement_reversals WHERE settlement_id = NEW.settlement_id);
END;
CREATE TRIGGER settlement_reversals_no_update BEFORE UPDATE ON settlement_reversals BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER settlement_reversals_no_delete BEFORE DELETE ON settlement_reversals BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- Points expiry, at most once. Each points_expiry transaction names the lot
-- boundary it expired through (credits made before expires_through), and the
-- schema checks the FIFO invariant as the member's posting goes in: after it,
-- everything ever debited from the account (spending and earlier expiries
-- included) is at most what was credited before the boundary. A second sweep
-- that computed its amount from the same reads as the first — or from reads
-- a little later, when one more lot had lapsed — fails that check, whatever
-- the timing. A key on (member, boundary) would not: with `days:N` the
-- boundary moves every millisecond, and with `year_end` it stays for a year,
-- during which more may legitimately lapse once a hold on the points ends.
CREATE TABLE points_expiries (
  tx_id           TEXT PRIMARY KEY REFERENCES transactions (id),
  account_id      TEXT NOT NULL REFERENCES accounts (id),
  expires_through TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  CHECK (expires_through <= created_at)
);
CREATE INDEX points_expiries_account ON points_expiries (account_id, created_at);

CREATE TRIGGER points_expiries_match_transaction
BEFORE INSERT ON points_expiries
BEGIN
  SELECT RAISE(ABORT, 'expiry_mismatch')
  WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = NEW.tx_id AND t.kind = 'points_expiry' AND t.created_at = NEW.created_at);
END;

CREATE TRIGGER postings_expiry_within_due
BEFORE INSERT ON postings
WHEN NEW.amount < 0 AND (SELECT kind FROM transactions WHERE id = NEW.tx_id) = 'points_expiry'
BEGIN
  SELECT RAISE(ABORT, 'expiry_mismatch')
  WHERE NOT EXISTS (SELECT 1 FROM points_expiries e WHERE e.tx_id = NEW.tx_id AND e.account_id = NEW.account_id);
  SELECT RAISE(ABORT, 'expiry_exceeds_due')
  FROM points_expiries e
  WHERE e.tx_id = NEW.tx_id
    AND coalesce((SELECT sum(-p.amount) FROM postings p WHERE p.account_id = NEW.account_id AND p.amount < 0), 0) - NEW.amount
      > coalesce((SELECT sum(p.amount) FROM postings p WHERE p.account_id = NEW.account_id AND p.amount > 0 AND p.created_at < e.expires_through), 0);
END;
CREATE TRIGGER points_expiries_no_update BEFORE UPDATE ON points_expiries BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER points_expiries_no_delete BEFORE DELETE ON points_expiries BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- Scheduled checkpoints: the scheduler records, with each checkpoint it
-- signs, the interval slot it signed for (the slot's start). One per slot,
-- and never one for a head that another checkpoint already covers, so two
-- overlapping schedulers (Node ticks, Worker isolates) sign one checkpoint
-- between them. An admin's checkpoint has no slot and is not limited.
CREATE TABLE scheduled_checkpoints (
  slot          TEXT PRIMARY KEY,
  checkpoint_id TEXT NOT NULL UNIQUE REFERENCES checkpoints (id)
);
CREATE INDEX checkpoints_seq ON checkpoints (seq);

CREATE TRIGGER scheduled_checkpoints_once
BEFORE INSERT ON scheduled_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'checkpoint_not_due')
  WHERE EXISTS (SELECT 1 FROM scheduled_checkpoints WHERE slot = NEW.slot)
     OR EXISTS (SELECT 1 FROM checkpoints c JOIN checkpoints mine ON mine.id = NEW.checkpoint_id
                WHERE c.id <> mine.id AND c.seq >= mine.seq);
END;
CREATE TRIGGER scheduled_checkpoints_no_update BEFORE UPDATE ON scheduled_checkpoints BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER scheduled_checkpoints_no_delete BEFORE DELETE ON scheduled_checkpoints BEGIN SELECT RAISE(ABORT, 'append_only'); END;
