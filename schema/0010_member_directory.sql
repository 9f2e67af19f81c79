-- Member directory (issue 19): a number people can say, a status, and the
-- kept history of every change to a member. As in the earlier migrations the
-- rules are triggers, CHECKs and UNIQUE indexes, so they hold on D1 batches
-- as on better-sqlite3.

-- The member number is a serial (from 1001) followed by two check digits,
-- ISO 7064 MOD 97-10 as in an IBAN: every number is 1 modulo 97, so a single
-- mistyped digit or two neighbouring digits swapped never make another
-- member's number. The database assigns it as the member is inserted, once;
-- nobody supplies or changes it.
ALTER TABLE members ADD COLUMN member_no INTEGER;
CREATE UNIQUE INDEX members_member_no ON members (member_no);

-- The next number: the one place the rule is written (src/members/member-number.ts
-- reads numbers back and checks what people type by the same rule).
CREATE VIEW member_next_number AS
SELECT s * 100 + 98 - (s * 100) % 97 AS member_no
FROM (SELECT coalesce(max(member_no) / 100, 1000) + 1 AS s FROM members);

-- The members registered before this migration get theirs in the order they
-- were registered: each row inserted here takes the next number.
CREATE TABLE member_number_backfill (id TEXT PRIMARY KEY);
CREATE TRIGGER member_number_backfill_assign AFTER INSERT ON member_number_backfill
BEGIN
  UPDATE members SET member_no = (SELECT member_no FROM member_next_number) WHERE id = NEW.id;
END;
INSERT INTO member_number_backfill (id) SELECT id FROM members ORDER BY created_at, id;
DROP TRIGGER member_number_backfill_assign;
DROP TABLE member_number_backfill;

CREATE TRIGGER members_number_not_supplied BEFORE INSERT ON members
WHEN NEW.member_no IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'member_fields_fixed'); END;

CREATE TRIGGER members_assign_number AFTER INSERT ON members
BEGIN
  UPDATE members SET member_no = (SELECT member_no FROM member_next_number) WHERE id = NEW.id;
END;

-- A member is active or deactivated. A deactivated member keeps its history
-- and balance, earns and spends nothing (below), and can be reactivated.
ALTER TABLE members ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'deactivated'));

-- Every change to a member is kept: who, when, why, and the fields' values
-- before and after (JSON objects of the fields the change named).
CREATE TABLE member_changes (
  id         TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members (id),
  actor      TEXT NOT NULL,
  reason     TEXT,
  before     TEXT NOT NULL CHECK (json_valid(before) AND json_type(before) = 'object'),
  after      TEXT NOT NULL CHECK (json_valid(after) AND json_type(after) = 'object'),
  created_at TEXT NOT NULL,
  -- The home org the caller's scope was checked against: if the member moved
  -- meanwhile, the change is refused as stale, to be checked again.
  scope_org_id TEXT NOT NULL REFERENCES orgs (id)
);
CREATE INDEX member_changes_member ON member_changes (member_id, created_at);
CREATE TRIGGER member_changes_scope_current BEFORE INSERT ON member_changes
WHEN (SELECT home_org_id FROM members WHERE id = NEW.member_id) IS NOT NEW.scope_org_id
BEGIN SELECT RAISE(ABORT, 'member_moved'); END;
CREATE TRIGGER member_changes_no_update BEFORE UPDATE ON member_changes
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER member_changes_no_delete BEFORE DELETE ON member_changes
BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- The change a member's current values come from. An update must name a new,
-- recorded change of this member; only the number's own assignment (above)
-- is not a change.
ALTER TABLE members ADD COLUMN change_id TEXT REFERENCES member_changes (id);

CREATE TRIGGER members_fields_fixed BEFORE UPDATE ON members
WHEN NEW.id IS NOT OLD.id OR NEW.account_id IS NOT OLD.account_id OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.member_no IS NOT NULL AND NEW.member_no IS NOT OLD.member_no)
BEGIN SELECT RAISE(ABORT, 'member_fields_fixed'); END;

CREATE TRIGGER members_change_recorded BEFORE UPDATE ON members
WHEN OLD.member_no IS NOT NULL
  AND (NEW.change_id IS OLD.change_id
       OR NOT EXISTS (SELECT 1 FROM member_changes c WHERE c.id = NEW.change_id AND c.member_id = NEW.id))
BEGIN SELECT RAISE(ABORT, 'member_change_unrecorded'); END;

-- A deactivated member earns and redeems nothing: no claim, no redeem code,
-- no hold on its account, and no credit, redemption or capture posted to it.
-- Corrections still post (revocations, refunds, adjustments, reversals), and
-- its points still expire.
CREATE TRIGGER claims_member_active BEFORE INSERT ON claims
WHEN (SELECT status FROM members WHERE id = NEW.member_id) <> 'active'
BEGIN SELECT RAISE(ABORT, 'member_deactivated'); END;

CREATE TRIGGER redeem_codes_member_active BEFORE INSERT ON redeem_codes
WHEN (SELECT status FROM members WHERE id = NEW.member_id) <> 'active'
BEGIN SELECT RAISE(ABORT, 'member_deactivated'); END;

CREATE TRIGGER holds_member_active BEFORE INSERT ON holds
WHEN (SELECT status FROM members WHERE account_id = NEW.account_id) <> 'active'
BEGIN SELECT RAISE(ABORT, 'member_deactivated'); END;

CREATE TRIGGER postings_member_active BEFORE INSERT ON postings
WHEN NEW.account_id LIKE 'worker:%'
  AND (SELECT status FROM members WHERE account_id = NEW.account_id) <> 'active'
  AND (SELECT kind FROM transactions WHERE id = NEW.tx_id) IN ('claim_credit', 'redemption', 'hold_capture')
BEGIN SELECT RAISE(ABORT, 'member_deactivated'); END;

-- A member's statement names the activity of each credit and revocation, found
-- from the transaction; the claim lists find decisions by claim. Both were
-- scans of every decision.
CREATE INDEX claim_decisions_tx ON claim_decisions (tx_id);
CREATE INDEX claim_decisions_claim ON claim_decisions (claim_id);
