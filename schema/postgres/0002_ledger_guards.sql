-- Jifen on PostgreSQL 15: the guards of the ledger, the org tree, members,
-- checkpoints, expiries and settlements. Frozen once landed: later changes
-- are new migrations.
--
-- Each SQLite trigger T of the final schema (migrations 0001-0015) is here as
-- a function T() and a trigger T of the same timing, event and table; each
-- refusal raises the same word, alone, as the message (SQLSTATE P0001), and
-- the checks inside a trigger keep their order. The guards of the other
-- tables are in 0003.
--
-- What differs from SQLite, and why:
-- - AFTER ROW triggers run at the end of the statement in PostgreSQL, right
--   after each row in SQLite. The two that keep a balance the next row's
--   guards read (postings_update_balance, holds_update_held) are BEFORE
--   triggers here, so a set-based insert sees each row's effect as SQLite
--   does. Their names sort after the guards that read the balance, so they
--   run once those have passed (postings_within_bound, after them, reads only
--   the new row).
-- - PostgreSQL fires the triggers of one event in name order; SQLite fires
--   the newest first. Where two guards of one insert could both refuse, the
--   word may differ (postings: postings_guard now runs before
--   postings_member_active and postings_within_bound; transactions:
--   transactions_extend_head before transactions_reversal_rules).
-- - TRUNCATE does not fire DELETE triggers, so every table that refuses
--   DELETE also refuses TRUNCATE (the *_no_truncate triggers at the end).
-- - A trigger's WHEN may not hold a subquery in PostgreSQL: such a condition
--   is an IF at the top of the body.

-- Accounts. Stored balances change only through the triggers below.

CREATE FUNCTION accounts_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append_only';
END;
$$;
CREATE TRIGGER accounts_identity_is_fixed
BEFORE UPDATE OF id, kind, owner_id, no_overdraft, created_at ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_identity_is_fixed();

CREATE FUNCTION accounts_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append_only';
END;
$$;
CREATE TRIGGER accounts_never_deleted
BEFORE DELETE ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_never_deleted();

-- Direct edits of a stored balance cannot take a guarded account below zero
-- unless the posting that caused it belongs to an overdraft-allowing kind
-- (that check is on postings; this one catches hand-made UPDATEs of held).
CREATE FUNCTION accounts_held_within_posted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'insufficient_funds';
END;
$$;
CREATE TRIGGER accounts_held_within_posted
BEFORE UPDATE OF held ON accounts
FOR EACH ROW
WHEN (NEW.no_overdraft = 1 AND NEW.held > OLD.held AND NEW.posted - NEW.held < 0)
EXECUTE FUNCTION accounts_held_within_posted();

-- The hash chain: a new transaction extends the head, and the head was
-- sealed (balanced) in its own write. A second writer on the same head fails
-- here or on the PRIMARY KEY of seq (transactions_pkey).
CREATE FUNCTION transactions_extend_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.seq = 1 AND NEW.prev_hash <> '0000000000000000000000000000000000000000000000000000000000000000')
     OR (NEW.seq > 1 AND NEW.prev_hash IS DISTINCT FROM (SELECT hash FROM transactions WHERE seq = NEW.seq - 1))
     OR NEW.seq < 1 THEN
    RAISE EXCEPTION 'chain_conflict';
  END IF;
  -- The previous transaction must have been sealed (balanced) in its own write.
  IF NEW.seq > 1 AND NOT EXISTS (
    SELECT 1 FROM transaction_seals s JOIN transactions t ON t.id = s.tx_id WHERE t.seq = NEW.seq - 1
  ) THEN
    RAISE EXCEPTION 'unbalanced_transaction';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER transactions_extend_head
BEFORE INSERT ON transactions
FOR EACH ROW EXECUTE FUNCTION transactions_extend_head();

-- What a domain record owns is undone only by that record's operation; the
-- words name the operation to use instead (src/db/errors.ts).
CREATE FUNCTION transactions_reversal_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind IN ('claim_credit', 'claim_revocation')
      AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind)
  ) THEN
    RAISE EXCEPTION 'reversal_owned_by_claim';
  END IF;
  IF EXISTS (
    SELECT 1 FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind IN ('redemption', 'hold_capture', 'redemption_refund')
      AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind)
  ) THEN
    RAISE EXCEPTION 'reversal_owned_by_redemption';
  END IF;
  IF EXISTS (
    SELECT 1 FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind IN ('settlement', 'settlement_reversal')
      AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind)
  ) THEN
    RAISE EXCEPTION 'reversal_owned_by_settlement';
  END IF;
  IF EXISTS (
    SELECT 1 FROM transactions t WHERE t.id = NEW.reverses_id AND t.kind = 'points_expiry'
      AND NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind)
  ) THEN
    RAISE EXCEPTION 'reversal_owned_by_expiry';
  END IF;
  -- Anything else not listed (a reversal of a reversal, a kind added later),
  -- and a generic reversal of a transaction that refers to a domain record
  -- (an allocation's ref names the org it funds, which owns nothing of it).
  IF EXISTS (
    SELECT 1 FROM transactions t WHERE t.id = NEW.reverses_id
      AND (NOT EXISTS (SELECT 1 FROM reversal_rules r WHERE r.kind = NEW.kind AND r.reversed_kind = t.kind)
           OR (NEW.kind = 'reversal' AND t.ref_type IS NOT NULL AND t.ref_type <> 'org'))
  ) THEN
    RAISE EXCEPTION 'not_reversible';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER transactions_reversal_rules
BEFORE INSERT ON transactions
FOR EACH ROW
WHEN (NEW.reverses_id IS NOT NULL)
EXECUTE FUNCTION transactions_reversal_rules();

-- Postings.

CREATE FUNCTION postings_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM accounts WHERE id = NEW.account_id) THEN
    RAISE EXCEPTION 'unknown_account';
  END IF;
  IF EXISTS (SELECT 1 FROM transaction_seals WHERE tx_id = NEW.tx_id) THEN
    RAISE EXCEPTION 'transaction_sealed';
  END IF;
  IF NEW.seq IS DISTINCT FROM (SELECT seq FROM transactions WHERE id = NEW.tx_id)
     OR NEW.balance_after IS DISTINCT FROM (SELECT posted + NEW.amount FROM accounts WHERE id = NEW.account_id) THEN
    RAISE EXCEPTION 'posting_mismatch';
  END IF;
  IF EXISTS (
    SELECT 1 FROM accounts a
    WHERE a.id = NEW.account_id
      AND NEW.amount < 0
      AND a.no_overdraft = 1
      AND a.posted - a.held + NEW.amount < 0
      AND (SELECT k.allows_overdraft FROM transactions t JOIN transaction_kinds k ON k.kind = t.kind
           WHERE t.id = NEW.tx_id) = 0
  ) THEN
    RAISE EXCEPTION 'insufficient_funds';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER postings_guard
BEFORE INSERT ON postings
FOR EACH ROW EXECUTE FUNCTION postings_guard();

-- AFTER in SQLite. BEFORE here: the postings of a transaction go in as one
-- set-based statement, and each row's guards must read the balance as the
-- rows before it left it (in PostgreSQL an AFTER ROW trigger would run only
-- once the whole statement is done). A refused row aborts the statement, so
-- the update never outlives it.
CREATE FUNCTION postings_update_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET posted = posted + NEW.amount WHERE id = NEW.account_id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER postings_update_balance
BEFORE INSERT ON postings
FOR EACH ROW EXECUTE FUNCTION postings_update_balance();

-- No stored balance may pass 10^11 points either way (MAX_BALANCE in
-- src/ledger/amount.ts, in hundredths), so every balance is a safe integer in
-- JavaScript. A posting whose running balance would pass it aborts its write.
CREATE FUNCTION postings_within_bound() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'balance_out_of_range';
END;
$$;
CREATE TRIGGER postings_within_bound
BEFORE INSERT ON postings
FOR EACH ROW
WHEN (NEW.balance_after > 10000000000000 OR NEW.balance_after < -10000000000000)
EXECUTE FUNCTION postings_within_bound();

-- The FIFO invariant of expiry: after a member's expiry posting, everything
-- ever debited from the account is at most what was credited before the
-- boundary the expiry names. A second sweep over the same lots fails it.
CREATE FUNCTION postings_expiry_within_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The rest of SQLite's WHEN (a subquery may not be in a trigger's WHEN here).
  IF (SELECT kind FROM transactions WHERE id = NEW.tx_id) = 'points_expiry' THEN
    IF NOT EXISTS (SELECT 1 FROM points_expiries e WHERE e.tx_id = NEW.tx_id AND e.account_id = NEW.account_id) THEN
      RAISE EXCEPTION 'expiry_mismatch';
    END IF;
    IF EXISTS (
      SELECT 1 FROM points_expiries e
      WHERE e.tx_id = NEW.tx_id
        AND coalesce((SELECT sum(-p.amount) FROM postings p WHERE p.account_id = NEW.account_id AND p.amount < 0), 0) - NEW.amount
          > coalesce((SELECT sum(p.amount) FROM postings p WHERE p.account_id = NEW.account_id AND p.amount > 0 AND p.created_at < e.expires_through), 0)
    ) THEN
      RAISE EXCEPTION 'expiry_exceeds_due';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER postings_expiry_within_due
BEFORE INSERT ON postings
FOR EACH ROW
WHEN (NEW.amount < 0)
EXECUTE FUNCTION postings_expiry_within_due();

-- A deactivated member earns and spends nothing. ILIKE: SQLite's LIKE
-- ignores ASCII case.
CREATE FUNCTION postings_member_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM members WHERE account_id = NEW.account_id) <> 'active'
     AND (SELECT kind FROM transactions WHERE id = NEW.tx_id) IN ('claim_credit', 'redemption', 'hold_capture') THEN
    RAISE EXCEPTION 'member_deactivated';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER postings_member_active
BEFORE INSERT ON postings
FOR EACH ROW
WHEN (NEW.account_id ILIKE 'worker:%')
EXECUTE FUNCTION postings_member_active();

-- Written last in every ledger write: refuses a transaction whose postings
-- do not sum to zero or that has fewer than two.
CREATE FUNCTION transaction_seals_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM postings WHERE tx_id = NEW.tx_id) < 2
     OR (SELECT sum(amount) FROM postings WHERE tx_id = NEW.tx_id) <> 0 THEN
    RAISE EXCEPTION 'unbalanced_transaction';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER transaction_seals_balanced
BEFORE INSERT ON transaction_seals
FOR EACH ROW EXECUTE FUNCTION transaction_seals_balanced();

-- Holds.

CREATE FUNCTION holds_reserve() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM accounts a
    WHERE a.id = NEW.account_id AND a.no_overdraft = 1 AND a.posted - a.held - NEW.amount < 0
  ) THEN
    RAISE EXCEPTION 'insufficient_funds';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER holds_reserve
BEFORE INSERT ON holds
FOR EACH ROW EXECUTE FUNCTION holds_reserve();

-- AFTER in SQLite. BEFORE here, as postings_update_balance: the next hold
-- of the same statement must see this one reserved.
CREATE FUNCTION holds_update_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET held = held + NEW.amount WHERE id = NEW.account_id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER holds_update_held
BEFORE INSERT ON holds
FOR EACH ROW EXECUTE FUNCTION holds_update_held();

CREATE FUNCTION holds_member_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM members WHERE account_id = NEW.account_id) <> 'active' THEN
    RAISE EXCEPTION 'member_deactivated';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER holds_member_active
BEFORE INSERT ON holds
FOR EACH ROW EXECUTE FUNCTION holds_member_active();

-- A hold resolves exactly once, in time, for at most its amount.
CREATE FUNCTION hold_resolutions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM holds WHERE id = NEW.hold_id) THEN
    RAISE EXCEPTION 'unknown_hold';
  END IF;
  IF EXISTS (SELECT 1 FROM hold_resolutions WHERE hold_id = NEW.hold_id) THEN
    RAISE EXCEPTION 'hold_already_resolved';
  END IF;
  IF EXISTS (
    SELECT 1 FROM holds h WHERE h.id = NEW.hold_id AND NEW.kind IN ('capture', 'void') AND NEW.created_at >= h.expires_at
  ) THEN
    RAISE EXCEPTION 'hold_expired';
  END IF;
  IF EXISTS (
    SELECT 1 FROM holds h WHERE h.id = NEW.hold_id AND NEW.kind = 'expire' AND NEW.created_at < h.expires_at
  ) THEN
    RAISE EXCEPTION 'hold_not_expired';
  END IF;
  IF EXISTS (SELECT 1 FROM holds h WHERE h.id = NEW.hold_id AND NEW.amount > h.amount) THEN
    RAISE EXCEPTION 'capture_exceeds_hold';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER hold_resolutions_guard
BEFORE INSERT ON hold_resolutions
FOR EACH ROW EXECUTE FUNCTION hold_resolutions_guard();

-- Stays AFTER: each row releases its own hold, and nothing later in the same
-- statement reads held (the expiry sweep resolves many holds in one).
CREATE FUNCTION hold_resolutions_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET held = held - (SELECT amount FROM holds WHERE id = NEW.hold_id)
  WHERE id = (SELECT account_id FROM holds WHERE id = NEW.hold_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER hold_resolutions_release
AFTER INSERT ON hold_resolutions
FOR EACH ROW EXECUTE FUNCTION hold_resolutions_release();

-- A reward hold voided or expired gives back the stock and the member's
-- limit it took (a capture keeps them: the redemption counts them).
CREATE FUNCTION reward_holds_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rewards SET stock = stock + (SELECT quantity FROM reward_holds WHERE hold_id = NEW.hold_id)
  WHERE stock IS NOT NULL AND id = (SELECT reward_id FROM reward_holds WHERE hold_id = NEW.hold_id);
  UPDATE reward_member_counts SET quantity = quantity - (SELECT quantity FROM reward_holds WHERE hold_id = NEW.hold_id)
  WHERE reward_id = (SELECT reward_id FROM reward_holds WHERE hold_id = NEW.hold_id)
    AND member_id = (SELECT member_id FROM reward_holds WHERE hold_id = NEW.hold_id)
    -- periods is a JSON array of period keys (SQLite's json_each).
    AND period IN (SELECT value FROM jsonb_array_elements_text(
      (SELECT periods FROM reward_holds WHERE hold_id = NEW.hold_id)::jsonb));
  RETURN NULL;
END;
$$;
CREATE TRIGGER reward_holds_release
AFTER INSERT ON hold_resolutions
FOR EACH ROW
WHEN (NEW.kind IN ('void', 'expire'))
EXECUTE FUNCTION reward_holds_release();

-- Points expiries and settlement reversals.

CREATE FUNCTION points_expiries_match_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM transactions t WHERE t.id = NEW.tx_id AND t.kind = 'points_expiry' AND t.created_at = NEW.created_at
  ) THEN
    RAISE EXCEPTION 'expiry_mismatch';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER points_expiries_match_transaction
BEFORE INSERT ON points_expiries
FOR EACH ROW EXECUTE FUNCTION points_expiries_match_transaction();

CREATE FUNCTION settlement_reversals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM settlement_reversals WHERE settlement_id = NEW.settlement_id) THEN
    RAISE EXCEPTION 'settlement_already_reversed';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER settlement_reversals_guard
BEFORE INSERT ON settlement_reversals
FOR EACH ROW EXECUTE FUNCTION settlement_reversals_guard();

-- Checkpoints.

CREATE FUNCTION checkpoints_match_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq > 0 AND NEW.hash IS DISTINCT FROM (SELECT hash FROM transactions WHERE seq = NEW.seq) THEN
    RAISE EXCEPTION 'checkpoint_mismatch';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER checkpoints_match_chain
BEFORE INSERT ON checkpoints
FOR EACH ROW EXECUTE FUNCTION checkpoints_match_chain();

-- One scheduled checkpoint per slot, and none for a head another checkpoint
-- already covers: two overlapping schedulers sign one between them.
CREATE FUNCTION scheduled_checkpoints_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM scheduled_checkpoints WHERE slot = NEW.slot)
     OR EXISTS (SELECT 1 FROM checkpoints c JOIN checkpoints mine ON mine.id = NEW.checkpoint_id
                WHERE c.id <> mine.id AND c.seq >= mine.seq) THEN
    RAISE EXCEPTION 'checkpoint_not_due';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER scheduled_checkpoints_once
BEFORE INSERT ON scheduled_checkpoints
FOR EACH ROW EXECUTE FUNCTION scheduled_checkpoints_once();

-- Members: the number is the database's, assigned once; every other change
-- names a recorded member_changes row.

CREATE FUNCTION members_number_not_supplied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'member_fields_fixed';
END;
$$;
CREATE TRIGGER members_number_not_supplied
BEFORE INSERT ON members
FOR EACH ROW
WHEN (NEW.member_no IS NOT NULL)
EXECUTE FUNCTION members_number_not_supplied();

-- Stays AFTER: in PostgreSQL the rows of one INSERT are numbered at its end,
-- one after another in insertion order, and each reads the number the one
-- before it took, so a set-based import is numbered in line order as in
-- SQLite. Two concurrent writers may read the same next number: the second
-- fails on members_member_no (UNIQUE) and must be retried.
CREATE FUNCTION members_assign_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE members SET member_no = (SELECT member_no FROM member_next_number) WHERE id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER members_assign_number
AFTER INSERT ON members
FOR EACH ROW EXECUTE FUNCTION members_assign_number();

CREATE FUNCTION members_fields_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'member_fields_fixed';
END;
$$;
CREATE TRIGGER members_fields_fixed
BEFORE UPDATE ON members
FOR EACH ROW
WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.account_id IS DISTINCT FROM OLD.account_id
      OR NEW.created_at IS DISTINCT FROM OLD.created_at
      OR (OLD.member_no IS NOT NULL AND NEW.member_no IS DISTINCT FROM OLD.member_no))
EXECUTE FUNCTION members_fields_fixed();

-- Only the number's own assignment (OLD.member_no still NULL) is not a change.
CREATE FUNCTION members_change_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.change_id IS NOT DISTINCT FROM OLD.change_id
     OR NOT EXISTS (SELECT 1 FROM member_changes c WHERE c.id = NEW.change_id AND c.member_id = NEW.id) THEN
    RAISE EXCEPTION 'member_change_unrecorded';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER members_change_recorded
BEFORE UPDATE ON members
FOR EACH ROW
WHEN (OLD.member_no IS NOT NULL)
EXECUTE FUNCTION members_change_recorded();

-- The home org the caller's scope was checked against must still be the
-- member's: if the member moved meanwhile, the change is stale.
CREATE FUNCTION member_changes_scope_current() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT home_org_id FROM members WHERE id = NEW.member_id) IS DISTINCT FROM NEW.scope_org_id THEN
    RAISE EXCEPTION 'member_moved';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER member_changes_scope_current
BEFORE INSERT ON member_changes
FOR EACH ROW EXECUTE FUNCTION member_changes_scope_current();

-- Append-only: nothing in the ledger is ever updated or deleted.

CREATE FUNCTION transactions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions FOR EACH ROW EXECUTE FUNCTION transactions_no_update();
CREATE FUNCTION transactions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions FOR EACH ROW EXECUTE FUNCTION transactions_no_delete();
CREATE FUNCTION postings_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings FOR EACH ROW EXECUTE FUNCTION postings_no_update();
CREATE FUNCTION postings_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings FOR EACH ROW EXECUTE FUNCTION postings_no_delete();
CREATE FUNCTION transaction_seals_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER transaction_seals_no_update BEFORE UPDATE ON transaction_seals FOR EACH ROW EXECUTE FUNCTION transaction_seals_no_update();
CREATE FUNCTION transaction_seals_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER transaction_seals_no_delete BEFORE DELETE ON transaction_seals FOR EACH ROW EXECUTE FUNCTION transaction_seals_no_delete();
CREATE FUNCTION holds_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER holds_no_update BEFORE UPDATE ON holds FOR EACH ROW EXECUTE FUNCTION holds_no_update();
CREATE FUNCTION holds_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds FOR EACH ROW EXECUTE FUNCTION holds_no_delete();
CREATE FUNCTION hold_resolutions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER hold_resolutions_no_update BEFORE UPDATE ON hold_resolutions FOR EACH ROW EXECUTE FUNCTION hold_resolutions_no_update();
CREATE FUNCTION hold_resolutions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER hold_resolutions_no_delete BEFORE DELETE ON hold_resolutions FOR EACH ROW EXECUTE FUNCTION hold_resolutions_no_delete();
-- Idempotency keys are never changed; they may be deleted (no DELETE guard in SQLite either).
CREATE FUNCTION idempotency_keys_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER idempotency_keys_no_update BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION idempotency_keys_no_update();
CREATE FUNCTION orgs_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER orgs_no_delete BEFORE DELETE ON orgs FOR EACH ROW EXECUTE FUNCTION orgs_no_delete();
CREATE FUNCTION members_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER members_no_delete BEFORE DELETE ON members FOR EACH ROW EXECUTE FUNCTION members_no_delete();
CREATE FUNCTION settlements_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER settlements_no_update BEFORE UPDATE ON settlements FOR EACH ROW EXECUTE FUNCTION settlements_no_update();
CREATE FUNCTION settlements_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER settlements_no_delete BEFORE DELETE ON settlements FOR EACH ROW EXECUTE FUNCTION settlements_no_delete();
CREATE FUNCTION checkpoints_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints FOR EACH ROW EXECUTE FUNCTION checkpoints_no_update();
CREATE FUNCTION checkpoints_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION checkpoints_no_delete();
CREATE FUNCTION settlement_reversals_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER settlement_reversals_no_update BEFORE UPDATE ON settlement_reversals FOR EACH ROW EXECUTE FUNCTION settlement_reversals_no_update();
CREATE FUNCTION settlement_reversals_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER settlement_reversals_no_delete BEFORE DELETE ON settlement_reversals FOR EACH ROW EXECUTE FUNCTION settlement_reversals_no_delete();
CREATE FUNCTION points_expiries_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER points_expiries_no_update BEFORE UPDATE ON points_expiries FOR EACH ROW EXECUTE FUNCTION points_expiries_no_update();
CREATE FUNCTION points_expiries_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER points_expiries_no_delete BEFORE DELETE ON points_expiries FOR EACH ROW EXECUTE FUNCTION points_expiries_no_delete();
CREATE FUNCTION scheduled_checkpoints_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER scheduled_checkpoints_no_update BEFORE UPDATE ON scheduled_checkpoints FOR EACH ROW EXECUTE FUNCTION scheduled_checkpoints_no_update();
CREATE FUNCTION scheduled_checkpoints_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER scheduled_checkpoints_no_delete BEFORE DELETE ON scheduled_checkpoints FOR EACH ROW EXECUTE FUNCTION scheduled_checkpoints_no_delete();
CREATE FUNCTION member_changes_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER member_changes_no_update BEFORE UPDATE ON member_changes FOR EACH ROW EXECUTE FUNCTION member_changes_no_update();
CREATE FUNCTION member_changes_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER member_changes_no_delete BEFORE DELETE ON member_changes FOR EACH ROW EXECUTE FUNCTION member_changes_no_delete();

-- TRUNCATE skips the DELETE triggers above (SQLite has no TRUNCATE): every
-- table that refuses DELETE refuses it too, once per statement.

CREATE FUNCTION accounts_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION accounts_no_truncate();
CREATE FUNCTION transactions_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER transactions_no_truncate BEFORE TRUNCATE ON transactions FOR EACH STATEMENT EXECUTE FUNCTION transactions_no_truncate();
CREATE FUNCTION postings_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings FOR EACH STATEMENT EXECUTE FUNCTION postings_no_truncate();
CREATE FUNCTION transaction_seals_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER transaction_seals_no_truncate BEFORE TRUNCATE ON transaction_seals FOR EACH STATEMENT EXECUTE FUNCTION transaction_seals_no_truncate();
CREATE FUNCTION holds_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER holds_no_truncate BEFORE TRUNCATE ON holds FOR EACH STATEMENT EXECUTE FUNCTION holds_no_truncate();
CREATE FUNCTION hold_resolutions_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER hold_resolutions_no_truncate BEFORE TRUNCATE ON hold_resolutions FOR EACH STATEMENT EXECUTE FUNCTION hold_resolutions_no_truncate();
CREATE FUNCTION orgs_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER orgs_no_truncate BEFORE TRUNCATE ON orgs FOR EACH STATEMENT EXECUTE FUNCTION orgs_no_truncate();
CREATE FUNCTION members_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER members_no_truncate BEFORE TRUNCATE ON members FOR EACH STATEMENT EXECUTE FUNCTION members_no_truncate();
CREATE FUNCTION settlements_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER settlements_no_truncate BEFORE TRUNCATE ON settlements FOR EACH STATEMENT EXECUTE FUNCTION settlements_no_truncate();
CREATE FUNCTION checkpoints_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints FOR EACH STATEMENT EXECUTE FUNCTION checkpoints_no_truncate();
CREATE FUNCTION settlement_reversals_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER settlement_reversals_no_truncate BEFORE TRUNCATE ON settlement_reversals FOR EACH STATEMENT EXECUTE FUNCTION settlement_reversals_no_truncate();
CREATE FUNCTION points_expiries_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER points_expiries_no_truncate BEFORE TRUNCATE ON points_expiries FOR EACH STATEMENT EXECUTE FUNCTION points_expiries_no_truncate();
CREATE FUNCTION scheduled_checkpoints_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER scheduled_checkpoints_no_truncate BEFORE TRUNCATE ON scheduled_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION scheduled_checkpoints_no_truncate();
CREATE FUNCTION member_changes_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END; $$;
CREATE TRIGGER member_changes_no_truncate BEFORE TRUNCATE ON member_changes FOR EACH STATEMENT EXECUTE FUNCTION member_changes_no_truncate();
