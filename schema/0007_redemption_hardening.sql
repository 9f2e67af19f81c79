-- Redemption hardening (issue 17). Each guard is in the schema, so every
-- route — and every backend (D1 runs batches only) — gets the same rule.

-- 1. What a redemption counted toward its member's limit, written by the
-- redemption's own batch. A refund gives back exactly these rows (a trigger
-- on refunds), never a period recomputed from the reward as it is now: a
-- limit added or changed later cannot make a refund take back what was never
-- counted (a negative count, a CHECK failure) or give back the wrong period.
CREATE TABLE redemption_counts (
  redemption_id TEXT NOT NULL REFERENCES redemptions (id),
  reward_id     TEXT NOT NULL,
  member_id     TEXT NOT NULL,
  period        TEXT NOT NULL,
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (redemption_id, period)
);
CREATE TRIGGER redemption_counts_no_update BEFORE UPDATE ON redemption_counts BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER redemption_counts_no_delete BEFORE DELETE ON redemption_counts BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- A pickup counted its limit when the hold was made: the periods the hold
-- kept become the redemption's record when the hold is captured.
CREATE TRIGGER redemption_counts_from_hold
AFTER INSERT ON redemptions
WHEN NEW.hold_id IS NOT NULL
BEGIN
  INSERT INTO redemption_counts (redemption_id, reward_id, member_id, period, quantity)
  SELECT NEW.id, rh.reward_id, rh.member_id, p.value, rh.quantity
  FROM reward_holds rh, json_each(rh.periods) p
  WHERE rh.hold_id = NEW.hold_id;
END;

-- Redemptions made before this migration: pickups are known exactly from
-- their holds; a redemption by code kept no record, so its refund gives
-- nothing back (it can no longer fail, at worst it leaves a count taken).
INSERT INTO redemption_counts (redemption_id, reward_id, member_id, period, quantity)
SELECT r.id, rh.reward_id, rh.member_id, p.value, rh.quantity
FROM redemptions r JOIN reward_holds rh ON rh.hold_id = r.hold_id, json_each(rh.periods) p
WHERE NOT EXISTS (SELECT 1 FROM refunds f WHERE f.redemption_id = r.id);

CREATE TRIGGER refunds_give_back_counts
AFTER INSERT ON refunds
BEGIN
  UPDATE reward_member_counts
  SET quantity = quantity - (
    SELECT rc.quantity FROM redemption_counts rc
    WHERE rc.redemption_id = NEW.redemption_id AND rc.period = reward_member_counts.period)
  WHERE EXISTS (
    SELECT 1 FROM redemption_counts rc
    WHERE rc.redemption_id = NEW.redemption_id
      AND rc.reward_id = reward_member_counts.reward_id
      AND rc.member_id = reward_member_counts.member_id
      AND rc.period = reward_member_counts.period);
END;

-- 2. A redeem code's ceiling: the most points the worker lets it spend,
-- chosen when the code is asked for. NULL only for codes issued before this
-- migration (they live minutes). The redemption row is refused above it; the
-- code's use (written first in the same batch) names the redemption.
ALTER TABLE redeem_codes ADD COLUMN max_points INTEGER CHECK (max_points IS NULL OR max_points > 0);
CREATE INDEX redeem_code_uses_used_for ON redeem_code_uses (used_for);

CREATE TRIGGER redemptions_within_code_ceiling
BEFORE INSERT ON redemptions
BEGIN
  SELECT RAISE(ABORT, 'code_ceiling_exceeded')
  FROM redeem_code_uses u JOIN redeem_codes c ON c.code_hash = u.code_hash
  WHERE u.used_for = NEW.id AND c.max_points IS NOT NULL AND NEW.points > c.max_points;
END;

-- 3. A discount-card reward is one card per redemption: a quantity above one
-- would take the points of many and issue a single card. Refused on every
-- way in — a reservation and a redemption (by code or by pickup).
CREATE TRIGGER reward_holds_one_card
BEFORE INSERT ON reward_holds
WHEN NEW.quantity <> 1
BEGIN
  SELECT RAISE(ABORT, 'one_card_at_a_time')
  FROM rewards WHERE id = NEW.reward_id AND kind = 'discount_card';
END;

CREATE TRIGGER redemptions_one_card
BEFORE INSERT ON redemptions
WHEN NEW.quantity <> 1
BEGIN
  SELECT RAISE(ABORT, 'one_card_at_a_time')
  FROM rewards WHERE id = NEW.reward_id AND kind = 'discount_card';
END;
