-- Jifen on PostgreSQL 15: the programme's guards — every trigger of the
-- final SQLite schema (migrations 0001-0015) on the tables outside the ledger
-- core: activity types, claims and their decisions, rewards and redemptions,
-- cards, redeem codes and attempts, sign-in codes, evidence, attendance and
-- certificates. Frozen once landed: later changes are new migrations.
--
-- Runs after 0001_tables.sql (and beside 0002, the ledger core's triggers).
-- Each SQLite trigger T is a PL/pgSQL function T() and a trigger T of the
-- same timing, event and table; a refusal raises exactly the word SQLite
-- raised (SQLSTATE P0001), and the checks inside a trigger keep their order,
-- so the first failing one still wins.
--
-- What differs from SQLite, and why the twins are written as they are:
-- * SQLite fires a table's triggers of one timing and event newest first;
--   PostgreSQL fires them by name. Where the two orders differ (claims), the
--   first trigger by name repeats the check SQLite would have run first.
-- * PostgreSQL runs AFTER ROW triggers at the end of the statement, SQLite
--   right after each row. The AFTER triggers here only write totals, counts
--   and derived rows that no trigger of the same statement reads, so they
--   stay AFTER (redemption_counts even must: it references the new row).
--   BEFORE ROW triggers see the rows an INSERT ... SELECT wrote before them,
--   as in SQLite, so a roster inserted in one statement is checked row by row.
-- * PostgreSQL has TRUNCATE: every table whose rows are never deleted also
--   refuses it (<table>_never_truncated), with the same word.

-- Activity types (0002): versions 1, 2, 3, ... per code; never changed.

CREATE FUNCTION activity_types_versions_contiguous() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version <> coalesce((SELECT max(version) FROM activity_types WHERE code = NEW.code), 0) + 1 THEN
    RAISE EXCEPTION 'activity_version_conflict';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER activity_types_versions_contiguous BEFORE INSERT ON activity_types
FOR EACH ROW EXECUTE FUNCTION activity_types_versions_contiguous();

CREATE FUNCTION activity_types_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER activity_types_no_update BEFORE UPDATE ON activity_types FOR EACH ROW EXECUTE FUNCTION activity_types_no_update();
CREATE FUNCTION activity_types_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER activity_types_no_delete BEFORE DELETE ON activity_types FOR EACH ROW EXECUTE FUNCTION activity_types_no_delete();
CREATE FUNCTION activity_types_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER activity_types_never_truncated BEFORE TRUNCATE ON activity_types FOR EACH STATEMENT EXECUTE FUNCTION activity_types_never_truncated();

-- Campaigns are edited (ended early, renamed), never deleted.

CREATE FUNCTION campaigns_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER campaigns_no_delete BEFORE DELETE ON campaigns FOR EACH ROW EXECUTE FUNCTION campaigns_no_delete();
CREATE FUNCTION campaigns_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER campaigns_never_truncated BEFORE TRUNCATE ON campaigns FOR EACH STATEMENT EXECUTE FUNCTION campaigns_never_truncated();

-- Claims (0002, 0008, 0010, 0012).

-- SQLite's claims_hardening. SQLite fires claims_member_active (created
-- later) before it; here claims_hardening comes first by name, so it repeats
-- that check first and a deactivated member is still refused as such.
--
-- The times are compared as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', t [, '+5
-- minutes' | '-N days']) wrote them: t is read as SQLite reads a time string
-- ([-]YYYY-MM-DD, then optionally, after spaces or T's, HH:MM[:SS[.fff]], an
-- optional Z or +HH:MM/-HH:MM, day-of-month overflow rolling into the next
-- month; HH:MM... alone on 2000-01-01; a bare number as a Julian day; 'now'),
-- anything else is NULL, not an error, exactly as there: an unreadable
-- occurred_at is never "in the future" but is always "too old". The
-- arithmetic is on integer milliseconds, as SQLite's is. Checked against
-- SQLite 3.53 (better-sqlite3); the app only ever writes toISOString() text.
-- Not reproduced, on text the app never writes: an hour 24 read without a
-- modifier (SQLite prints '...T24:00:00.000Z' as is; here it is the next
-- day's 00:00), and sub-millisecond digits halfway between two milliseconds
-- without a modifier (SQLite's printf may round .1235 down).
CREATE FUNCTION claims_hardening() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t text;
  p text[];
  parsed bigint[] := '{}';
  x numeric;
  shown text[] := '{}';
  d date;
  y int;
  era int;
  r bigint;
BEGIN
  IF (SELECT status FROM members WHERE id = NEW.member_id) <> 'active' THEN
    RAISE EXCEPTION 'member_deactivated';
  END IF;
  -- The column is BIGINT, so SQLite's typeof(...) <> 'integer' is the cast's:
  -- a non-integer never reaches the trigger.
  IF NEW.max_age_days IS NULL OR NEW.max_age_days < 1 THEN
    RAISE EXCEPTION 'claim_max_age_invalid';
  END IF;

  -- [1] occurred_at, [2] created_at, in ms since 1970-01-01T00:00:00Z, or NULL.
  FOREACH t IN ARRAY ARRAY[NEW.occurred_at, NEW.created_at] LOOP
    p := regexp_match(t, '^(?:(-?[0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\v\f\rT]*)?'
                         '(?:([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?[ \t\n\v\f\r]*'
                         '(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))?[ \t\n\v\f\r]*)?$');
    IF lower(t) = 'now' THEN
      -- SQLite's 'now' is the time of the statement.
      parsed := array_append(parsed, floor(extract(epoch FROM statement_timestamp()) * 1000)::bigint);
    ELSIF t ~ '^[ \t\n\v\f\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?[ \t\n\v\f\r]*$' THEN
      -- A bare number is a Julian day number to SQLite.
      x := floor(btrim(t, E' \t\n\v\f\r')::numeric * 86400000 + 0.5);
      parsed := array_append(parsed,
        CASE WHEN x BETWEEN 0 AND 464269060799999 THEN (x - 210866760000000)::bigint END);
    ELSIF p IS NULL OR (p[1] IS NULL AND p[4] IS NULL)
       OR p[2]::int NOT BETWEEN 1 AND 12 OR p[3]::int NOT BETWEEN 1 AND 31
       OR p[4]::int > 24 OR p[5]::int > 59 OR p[6]::int > 59 OR p[9]::int > 14 OR p[10]::int > 59 THEN
      parsed := array_append(parsed, NULL::bigint);
    ELSE
      -- Days since 1970-01-01 of the 1st of the month, in the proleptic
      -- Gregorian calendar with a year 0 as SQLite counts (integer arithmetic,
      -- so no date range of PostgreSQL's applies); days past the month's end
      -- roll over into the next, as there.
      y := coalesce(p[1]::int, 2000) - CASE WHEN coalesce(p[2]::int, 1) <= 2 THEN 1 ELSE 0 END;
      era := floor(y / 400.0)::int;
      y := y - era * 400;
      r := era::bigint * 146097 + y * 365 + y / 4 - y / 100
           + (153 * ((coalesce(p[2]::int, 1) + 9) % 12) + 2) / 5 - 719468;
      parsed := array_append(parsed,
        (r + coalesce(p[3]::int, 1) - 1) * 86400000
        + coalesce(p[4]::bigint, 0) * 3600000 + coalesce(p[5]::bigint, 0) * 60000
        + coalesce(p[6]::bigint, 0) * 1000
        -- The fraction to the millisecond, rounded; SQLite caps it at .999.
        + LEAST(999, floor(coalesce(('0.' || p[7])::numeric, 0) * 1000 + 0.5))::bigint
        - CASE p[8] WHEN '+' THEN 1 WHEN '-' THEN -1 ELSE 0 END
          * (coalesce(p[9]::bigint, 0) * 60 + coalesce(p[10]::bigint, 0)) * 60000);
    END IF;
  END LOOP;

  -- [1] occurred_at, [2] created_at '+5 minutes', [3] created_at '-N days', as
  -- SQLite writes them (years as %04d: 0000, -001); NULL outside SQLite's
  -- range (Julian day 0 to 9999-12-31T23:59:59.999Z).
  FOREACH x IN ARRAY ARRAY[parsed[1]::numeric, parsed[2] + 300000::numeric,
                           parsed[2] - NEW.max_age_days::numeric * 86400000] LOOP
    IF x IS NULL OR x < -210866760000000 OR x > 253402300799999 THEN
      shown := array_append(shown, NULL::text);
    ELSE
      d := DATE '1970-01-01' + floor(x / 86400000)::int;
      y := extract(year FROM d)::int;
      y := CASE WHEN y < 0 THEN y + 1 ELSE y END;
      r := x::bigint - floor(x / 86400000)::bigint * 86400000;
      shown := array_append(shown,
        CASE WHEN y < 0 THEN '-' || lpad((-y)::text, GREATEST(3, length((-y)::text)), '0') ELSE lpad(y::text, 4, '0') END
        || to_char(d, '-MM-DD') || 'T'
        || lpad((r / 3600000)::text, 2, '0') || ':' || lpad((r / 60000 % 60)::text, 2, '0') || ':'
        || lpad((r / 1000 % 60)::text, 2, '0') || '.' || lpad((r % 1000)::text, 3, '0') || 'Z');
    END IF;
  END LOOP;

  IF shown[1] > shown[2] THEN
    RAISE EXCEPTION 'occurred_in_future';
  END IF;
  IF NEW.backfill_reason IS NOT NULL AND NEW.submitted_role <> 'admin' THEN
    RAISE EXCEPTION 'backfill_admin_only';
  END IF;
  IF NEW.backfill_reason IS NULL AND coalesce(shown[1], '') < shown[3] THEN
    RAISE EXCEPTION 'claim_too_old';
  END IF;
  IF NEW.submitted_role = 'organizer'
     AND NOT EXISTS (
       SELECT 1 FROM orgs s, members m, orgs home, orgs o
       WHERE s.id = NEW.submitter_org_id AND m.id = NEW.member_id AND home.id = m.home_org_id AND o.id = NEW.org_id
         AND substr(home.path, 1, length(s.path)) = s.path
         AND substr(o.path, 1, length(s.path)) = s.path) THEN
    RAISE EXCEPTION 'outside_scope';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER claims_hardening BEFORE INSERT ON claims
FOR EACH ROW EXECUTE FUNCTION claims_hardening();

CREATE FUNCTION claims_member_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM members WHERE id = NEW.member_id) <> 'active' THEN
    RAISE EXCEPTION 'member_deactivated';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER claims_member_active BEFORE INSERT ON claims
FOR EACH ROW EXECUTE FUNCTION claims_member_active();

-- Evidence named by a claim was uploaded by its submitter, for its member.
CREATE FUNCTION claims_evidence_uploader() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.evidence_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = NEW.evidence_id AND e.uploaded_by = NEW.submitted_by
                       AND (e.member_id IS NULL OR e.member_id = NEW.member_id)) THEN
    RAISE EXCEPTION 'evidence_not_yours';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER claims_evidence_uploader BEFORE INSERT ON claims
FOR EACH ROW EXECUTE FUNCTION claims_evidence_uploader();

CREATE FUNCTION claims_evidence_required() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM activity_types t
             WHERE t.code = NEW.activity_code AND t.version = NEW.activity_version AND t.requires_evidence = 1) THEN
    RAISE EXCEPTION 'evidence_required';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER claims_evidence_required BEFORE INSERT ON claims
FOR EACH ROW WHEN (NEW.submitted_role = 'worker' AND NEW.evidence_url IS NULL AND NEW.evidence_id IS NULL)
EXECUTE FUNCTION claims_evidence_required();

CREATE FUNCTION claims_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER claims_no_update BEFORE UPDATE ON claims FOR EACH ROW EXECUTE FUNCTION claims_no_update();
CREATE FUNCTION claims_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims FOR EACH ROW EXECUTE FUNCTION claims_no_delete();
CREATE FUNCTION claims_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER claims_never_truncated BEFORE TRUNCATE ON claims FOR EACH STATEMENT EXECUTE FUNCTION claims_never_truncated();

-- Claim decisions (0002, 0008): one approval or rejection, one revocation of
-- an approval; nobody decides their own claim; the credit matches the claim.
-- Rows of one roster are inserted by one statement: each sees the rows before it.

CREATE FUNCTION claim_decisions_controls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.decision IN ('approve', 'reject')
     AND EXISTS (SELECT 1 FROM claim_decisions WHERE claim_id = NEW.claim_id AND decision IN ('approve', 'reject')) THEN
    RAISE EXCEPTION 'claim_already_decided';
  END IF;
  IF NEW.decision = 'revoke'
     AND NOT EXISTS (SELECT 1 FROM claim_decisions WHERE claim_id = NEW.claim_id AND decision = 'approve') THEN
    RAISE EXCEPTION 'claim_not_approved';
  END IF;
  IF NEW.decision = 'revoke'
     AND EXISTS (SELECT 1 FROM claim_decisions WHERE claim_id = NEW.claim_id AND decision = 'revoke') THEN
    RAISE EXCEPTION 'claim_already_revoked';
  END IF;
  -- Nobody approves or rejects what they submitted, or a claim crediting themselves.
  IF EXISTS (SELECT 1 FROM claims c
             WHERE c.id = NEW.claim_id AND NEW.mode = 'manual' AND NEW.decision IN ('approve', 'reject')
               AND (c.submitted_sub = NEW.decided_sub OR c.member_id = NEW.decided_member_id)) THEN
    RAISE EXCEPTION 'self_approval';
  END IF;
  -- Approval on submission: only what an organizer or admin recorded, within
  -- the threshold, never crediting the recorder.
  IF EXISTS (SELECT 1 FROM claims c JOIN activity_types t ON t.code = c.activity_code AND t.version = c.activity_version
             WHERE c.id = NEW.claim_id AND NEW.mode = 'auto'
               AND (NEW.decision <> 'approve'
                    OR c.submitted_role NOT IN ('organizer', 'admin')
                    OR c.submitted_sub <> NEW.decided_sub
                    OR c.member_id = NEW.decided_member_id
                    OR (t.maker_checker_threshold IS NOT NULL AND c.points > t.maker_checker_threshold))) THEN
    RAISE EXCEPTION 'needs_second_approver';
  END IF;
  IF EXISTS (SELECT 1 FROM claims c
             WHERE c.id = NEW.claim_id AND NEW.decision = 'approve'
               AND (NEW.points_credited + NEW.points_capped <> c.points
                    OR NEW.credit_key_event IS DISTINCT FROM (CASE WHEN c.event_id IS NULL THEN NULL ELSE c.member_id || ':' || c.event_id END)
                    OR NEW.credit_key_report IS DISTINCT FROM (CASE WHEN c.report_ref IS NULL THEN NULL ELSE c.member_id || ':' || c.report_ref END))) THEN
    RAISE EXCEPTION 'credit_mismatch';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER claim_decisions_controls BEFORE INSERT ON claim_decisions
FOR EACH ROW EXECUTE FUNCTION claim_decisions_controls();

-- What one recorder auto-approved for a member, activity and day, against
-- the type's threshold (the CHECK auto_approval_threshold refuses the excess:
-- a stale read). AFTER, as in SQLite: nothing in the statement reads the
-- totals, so summing them at its end gives the same rows; only when a later
-- row of the same roster is refused for another reason does that refusal,
-- not the threshold, come first.
CREATE FUNCTION claim_decisions_auto_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO auto_approval_totals AS a (decided_sub, member_id, activity_code, day, points, threshold)
  SELECT NEW.decided_sub, c.member_id, c.activity_code, coalesce(c.programme_day, substr(c.occurred_at, 1, 10)),
         c.points, t.maker_checker_threshold
  FROM claims c JOIN activity_types t ON t.code = c.activity_code AND t.version = c.activity_version
  WHERE c.id = NEW.claim_id AND t.maker_checker_threshold IS NOT NULL
  ON CONFLICT (decided_sub, member_id, activity_code, day)
  DO UPDATE SET points = a.points + excluded.points, threshold = excluded.threshold;
  RETURN NULL;
END $$;
CREATE TRIGGER claim_decisions_auto_total AFTER INSERT ON claim_decisions
FOR EACH ROW WHEN (NEW.mode = 'auto' AND NEW.decision = 'approve')
EXECUTE FUNCTION claim_decisions_auto_total();

CREATE FUNCTION claim_decisions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER claim_decisions_no_update BEFORE UPDATE ON claim_decisions FOR EACH ROW EXECUTE FUNCTION claim_decisions_no_update();
CREATE FUNCTION claim_decisions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER claim_decisions_no_delete BEFORE DELETE ON claim_decisions FOR EACH ROW EXECUTE FUNCTION claim_decisions_no_delete();
CREATE FUNCTION claim_decisions_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER claim_decisions_never_truncated BEFORE TRUNCATE ON claim_decisions FOR EACH STATEMENT EXECUTE FUNCTION claim_decisions_never_truncated();

-- The totals are updated (added to), never deleted.
CREATE FUNCTION auto_approval_totals_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER auto_approval_totals_no_delete BEFORE DELETE ON auto_approval_totals FOR EACH ROW EXECUTE FUNCTION auto_approval_totals_no_delete();
CREATE FUNCTION auto_approval_totals_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER auto_approval_totals_never_truncated BEFORE TRUNCATE ON auto_approval_totals FOR EACH STATEMENT EXECUTE FUNCTION auto_approval_totals_never_truncated();

-- Rewards (0003): price, stock and limits change; what a reward is does not.

CREATE FUNCTION rewards_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append_only';
END $$;
CREATE TRIGGER rewards_identity_is_fixed BEFORE UPDATE OF id, merchant_id, kind, created_at ON rewards
FOR EACH ROW EXECUTE FUNCTION rewards_identity_is_fixed();

-- Redeem codes (0003, 0007, 0010): used once, by their member, before they expire.

CREATE FUNCTION redeem_codes_member_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM members WHERE id = NEW.member_id) <> 'active' THEN
    RAISE EXCEPTION 'member_deactivated';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER redeem_codes_member_active BEFORE INSERT ON redeem_codes
FOR EACH ROW EXECUTE FUNCTION redeem_codes_member_active();

CREATE FUNCTION redeem_code_uses_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM redeem_codes WHERE code_hash = NEW.code_hash AND member_id = NEW.member_id) THEN
    RAISE EXCEPTION 'invalid_code';
  END IF;
  IF EXISTS (SELECT 1 FROM redeem_code_uses WHERE code_hash = NEW.code_hash) THEN
    RAISE EXCEPTION 'code_used';
  END IF;
  IF EXISTS (SELECT 1 FROM redeem_codes c WHERE c.code_hash = NEW.code_hash AND NEW.created_at >= c.expires_at) THEN
    RAISE EXCEPTION 'code_expired';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER redeem_code_uses_guard BEFORE INSERT ON redeem_code_uses
FOR EACH ROW EXECUTE FUNCTION redeem_code_uses_guard();

CREATE FUNCTION redeem_code_uses_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redeem_code_uses_no_update BEFORE UPDATE ON redeem_code_uses FOR EACH ROW EXECUTE FUNCTION redeem_code_uses_no_update();
CREATE FUNCTION redeem_code_uses_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redeem_code_uses_no_delete BEFORE DELETE ON redeem_code_uses FOR EACH ROW EXECUTE FUNCTION redeem_code_uses_no_delete();
CREATE FUNCTION redeem_code_uses_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redeem_code_uses_never_truncated BEFORE TRUNCATE ON redeem_code_uses FOR EACH STATEMENT EXECUTE FUNCTION redeem_code_uses_never_truncated();

-- Redemptions (0003, 0007).

-- A code with a ceiling (max_points) pays for no more than that.
CREATE FUNCTION redemptions_within_code_ceiling() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM redeem_code_uses u JOIN redeem_codes c ON c.code_hash = u.code_hash
             WHERE u.used_for = NEW.id AND c.max_points IS NOT NULL AND NEW.points > c.max_points) THEN
    RAISE EXCEPTION 'code_ceiling_exceeded';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER redemptions_within_code_ceiling BEFORE INSERT ON redemptions
FOR EACH ROW EXECUTE FUNCTION redemptions_within_code_ceiling();

-- A discount card is taken one at a time. (SQLite fires this one before
-- redemptions_within_code_ceiling, newest first; so does the name order here.)
CREATE FUNCTION redemptions_one_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM rewards WHERE id = NEW.reward_id AND kind = 'discount_card') THEN
    RAISE EXCEPTION 'one_card_at_a_time';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER redemptions_one_card BEFORE INSERT ON redemptions
FOR EACH ROW WHEN (NEW.quantity <> 1)
EXECUTE FUNCTION redemptions_one_card();

-- A pickup's redemption keeps what its hold counted toward the member's
-- limit, for a refund to give back. AFTER: redemption_counts references the
-- new redemption.
CREATE FUNCTION redemption_counts_from_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO redemption_counts (redemption_id, reward_id, member_id, period, quantity)
  SELECT NEW.id, rh.reward_id, rh.member_id, p.value, rh.quantity
  FROM reward_holds rh CROSS JOIN LATERAL jsonb_array_elements_text(rh.periods::jsonb) AS p (value)
  WHERE rh.hold_id = NEW.hold_id;
  RETURN NULL;
END $$;
CREATE TRIGGER redemption_counts_from_hold AFTER INSERT ON redemptions
FOR EACH ROW WHEN (NEW.hold_id IS NOT NULL)
EXECUTE FUNCTION redemption_counts_from_hold();

CREATE FUNCTION redemptions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redemptions_no_update BEFORE UPDATE ON redemptions FOR EACH ROW EXECUTE FUNCTION redemptions_no_update();
CREATE FUNCTION redemptions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redemptions_no_delete BEFORE DELETE ON redemptions FOR EACH ROW EXECUTE FUNCTION redemptions_no_delete();
CREATE FUNCTION redemptions_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redemptions_never_truncated BEFORE TRUNCATE ON redemptions FOR EACH STATEMENT EXECUTE FUNCTION redemptions_never_truncated();

CREATE FUNCTION redemption_counts_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redemption_counts_no_update BEFORE UPDATE ON redemption_counts FOR EACH ROW EXECUTE FUNCTION redemption_counts_no_update();
CREATE FUNCTION redemption_counts_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redemption_counts_no_delete BEFORE DELETE ON redemption_counts FOR EACH ROW EXECUTE FUNCTION redemption_counts_no_delete();
CREATE FUNCTION redemption_counts_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redemption_counts_never_truncated BEFORE TRUNCATE ON redemption_counts FOR EACH STATEMENT EXECUTE FUNCTION redemption_counts_never_truncated();

-- Refunds (0003, 0007): once, within the window, never of a card already used.

CREATE FUNCTION refunds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM refunds WHERE redemption_id = NEW.redemption_id) THEN
    RAISE EXCEPTION 'already_refunded';
  END IF;
  IF EXISTS (SELECT 1 FROM redemptions r WHERE r.id = NEW.redemption_id AND NEW.created_at > r.refundable_until) THEN
    RAISE EXCEPTION 'refund_window_closed';
  END IF;
  IF EXISTS (SELECT 1 FROM cards c WHERE c.redemption_id = NEW.redemption_id
               AND EXISTS (SELECT 1 FROM card_uses u WHERE u.card_id = c.id)) THEN
    RAISE EXCEPTION 'card_used';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refunds_guard BEFORE INSERT ON refunds
FOR EACH ROW EXECUTE FUNCTION refunds_guard();

-- A refund gives back exactly what its redemption counted.
CREATE FUNCTION refunds_give_back_counts() RETURNS trigger LANGUAGE plpgsql AS $$
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
  RETURN NULL;
END $$;
CREATE TRIGGER refunds_give_back_counts AFTER INSERT ON refunds
FOR EACH ROW EXECUTE FUNCTION refunds_give_back_counts();

CREATE FUNCTION refunds_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_no_update();
CREATE FUNCTION refunds_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_no_delete();
CREATE FUNCTION refunds_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER refunds_never_truncated BEFORE TRUNCATE ON refunds FOR EACH STATEMENT EXECUTE FUNCTION refunds_never_truncated();

-- Discount cards (0003): each use numbered 1, 2, 3, ... up to the card's uses.

CREATE FUNCTION cards_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER cards_no_update BEFORE UPDATE ON cards FOR EACH ROW EXECUTE FUNCTION cards_no_update();
CREATE FUNCTION cards_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER cards_no_delete BEFORE DELETE ON cards FOR EACH ROW EXECUTE FUNCTION cards_no_delete();
CREATE FUNCTION cards_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER cards_never_truncated BEFORE TRUNCATE ON cards FOR EACH STATEMENT EXECUTE FUNCTION cards_never_truncated();

CREATE FUNCTION card_uses_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM cards WHERE id = NEW.card_id) THEN
    RAISE EXCEPTION 'unknown_card';
  END IF;
  IF EXISTS (SELECT 1 FROM cards c WHERE c.id = NEW.card_id AND c.merchant_id <> NEW.merchant_id) THEN
    RAISE EXCEPTION 'card_wrong_merchant';
  END IF;
  IF EXISTS (SELECT 1 FROM cards c WHERE c.id = NEW.card_id
               AND EXISTS (SELECT 1 FROM refunds f WHERE f.redemption_id = c.redemption_id)) THEN
    RAISE EXCEPTION 'card_revoked';
  END IF;
  IF EXISTS (SELECT 1 FROM cards c WHERE c.id = NEW.card_id AND NEW.created_at >= c.expires_at) THEN
    RAISE EXCEPTION 'card_expired';
  END IF;
  IF EXISTS (SELECT 1 FROM cards c WHERE c.id = NEW.card_id AND NEW.n > c.uses) THEN
    RAISE EXCEPTION 'card_exhausted';
  END IF;
  IF NEW.n <> coalesce((SELECT max(n) FROM card_uses WHERE card_id = NEW.card_id), 0) + 1 THEN
    RAISE EXCEPTION 'card_use_conflict';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER card_uses_guard BEFORE INSERT ON card_uses
FOR EACH ROW EXECUTE FUNCTION card_uses_guard();

CREATE FUNCTION card_uses_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER card_uses_no_update BEFORE UPDATE ON card_uses FOR EACH ROW EXECUTE FUNCTION card_uses_no_update();
CREATE FUNCTION card_uses_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER card_uses_no_delete BEFORE DELETE ON card_uses FOR EACH ROW EXECUTE FUNCTION card_uses_no_delete();
CREATE FUNCTION card_uses_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER card_uses_never_truncated BEFORE TRUNCATE ON card_uses FOR EACH STATEMENT EXECUTE FUNCTION card_uses_never_truncated();

-- Reward holds (0003, 0007): a pickup reserved; a discount card one at a time.

CREATE FUNCTION reward_holds_one_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM rewards WHERE id = NEW.reward_id AND kind = 'discount_card') THEN
    RAISE EXCEPTION 'one_card_at_a_time';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER reward_holds_one_card BEFORE INSERT ON reward_holds
FOR EACH ROW WHEN (NEW.quantity <> 1)
EXECUTE FUNCTION reward_holds_one_card();

CREATE FUNCTION reward_holds_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER reward_holds_no_update BEFORE UPDATE ON reward_holds FOR EACH ROW EXECUTE FUNCTION reward_holds_no_update();
CREATE FUNCTION reward_holds_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER reward_holds_no_delete BEFORE DELETE ON reward_holds FOR EACH ROW EXECUTE FUNCTION reward_holds_no_delete();
CREATE FUNCTION reward_holds_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER reward_holds_never_truncated BEFORE TRUNCATE ON reward_holds FOR EACH STATEMENT EXECUTE FUNCTION reward_holds_never_truncated();

-- Redeem attempts (0005): failures are kept and counted per merchant and
-- per code in their window; the gate refuses a till past either limit.

CREATE FUNCTION redeem_failures_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO redeem_failure_counts AS f (scope, window_start, failures)
  VALUES ('merchant:' || NEW.merchant_id, NEW.window_start, 1)
  ON CONFLICT (scope, window_start) DO UPDATE SET failures = f.failures + 1;
  INSERT INTO redeem_failure_counts AS f (scope, window_start, failures)
  VALUES ('code:' || NEW.code_hash, NEW.window_start, 1)
  ON CONFLICT (scope, window_start) DO UPDATE SET failures = f.failures + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER redeem_failures_count AFTER INSERT ON redeem_failures
FOR EACH ROW WHEN (NEW.reason <> 'rate_limited')
EXECUTE FUNCTION redeem_failures_count();

CREATE FUNCTION redeem_failures_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redeem_failures_no_update BEFORE UPDATE ON redeem_failures FOR EACH ROW EXECUTE FUNCTION redeem_failures_no_update();
CREATE FUNCTION redeem_failures_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redeem_failures_no_delete BEFORE DELETE ON redeem_failures FOR EACH ROW EXECUTE FUNCTION redeem_failures_no_delete();
CREATE FUNCTION redeem_failures_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER redeem_failures_never_truncated BEFORE TRUNCATE ON redeem_failures FOR EACH STATEMENT EXECUTE FUNCTION redeem_failures_never_truncated();

-- An INSERT into the (always empty) view is the check: it refuses, or
-- stores nothing. Returning NULL reports no row inserted, as SQLite counts
-- no change for a view's INSTEAD OF trigger.
CREATE FUNCTION redeem_attempt_gate_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM redeem_failure_counts
    WHERE window_start = NEW.window_start
      AND ((scope = 'merchant:' || NEW.merchant_id AND failures >= NEW.merchant_max)
        OR (scope = 'code:' || NEW.code_hash AND failures >= NEW.code_max))) THEN
    RAISE EXCEPTION 'redeem_rate_limited';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER redeem_attempt_gate_check INSTEAD OF INSERT ON redeem_attempt_gate
FOR EACH ROW EXECUTE FUNCTION redeem_attempt_gate_check();

-- Sign-in codes (0011): used once, by their member, unless revoked or expired.

CREATE FUNCTION sign_in_codes_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_codes_no_update BEFORE UPDATE ON sign_in_codes FOR EACH ROW EXECUTE FUNCTION sign_in_codes_no_update();
CREATE FUNCTION sign_in_codes_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_codes_no_delete BEFORE DELETE ON sign_in_codes FOR EACH ROW EXECUTE FUNCTION sign_in_codes_no_delete();
CREATE FUNCTION sign_in_codes_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_codes_never_truncated BEFORE TRUNCATE ON sign_in_codes FOR EACH STATEMENT EXECUTE FUNCTION sign_in_codes_never_truncated();

CREATE FUNCTION sign_in_code_uses_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM sign_in_codes WHERE id = NEW.code_id AND member_id = NEW.member_id) THEN
    RAISE EXCEPTION 'sign_in_code_unknown';
  END IF;
  IF EXISTS (SELECT 1 FROM sign_in_code_uses WHERE code_id = NEW.code_id) THEN
    RAISE EXCEPTION 'sign_in_code_used';
  END IF;
  IF EXISTS (SELECT 1 FROM sign_in_code_revocations WHERE code_id = NEW.code_id) THEN
    RAISE EXCEPTION 'sign_in_code_revoked';
  END IF;
  IF EXISTS (SELECT 1 FROM sign_in_codes c WHERE c.id = NEW.code_id AND NEW.created_at >= c.expires_at) THEN
    RAISE EXCEPTION 'sign_in_code_expired';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER sign_in_code_uses_guard BEFORE INSERT ON sign_in_code_uses
FOR EACH ROW EXECUTE FUNCTION sign_in_code_uses_guard();

CREATE FUNCTION sign_in_code_uses_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_code_uses_no_update BEFORE UPDATE ON sign_in_code_uses FOR EACH ROW EXECUTE FUNCTION sign_in_code_uses_no_update();
CREATE FUNCTION sign_in_code_uses_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_code_uses_no_delete BEFORE DELETE ON sign_in_code_uses FOR EACH ROW EXECUTE FUNCTION sign_in_code_uses_no_delete();
CREATE FUNCTION sign_in_code_uses_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_code_uses_never_truncated BEFORE TRUNCATE ON sign_in_code_uses FOR EACH STATEMENT EXECUTE FUNCTION sign_in_code_uses_never_truncated();

CREATE FUNCTION sign_in_code_revocations_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_code_revocations_no_update BEFORE UPDATE ON sign_in_code_revocations FOR EACH ROW EXECUTE FUNCTION sign_in_code_revocations_no_update();
CREATE FUNCTION sign_in_code_revocations_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_code_revocations_no_delete BEFORE DELETE ON sign_in_code_revocations FOR EACH ROW EXECUTE FUNCTION sign_in_code_revocations_no_delete();
CREATE FUNCTION sign_in_code_revocations_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER sign_in_code_revocations_never_truncated BEFORE TRUNCATE ON sign_in_code_revocations FOR EACH STATEMENT EXECUTE FUNCTION sign_in_code_revocations_never_truncated();

-- Evidence (0012): an uploaded photo is never changed or removed.

CREATE FUNCTION evidence_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence FOR EACH ROW EXECUTE FUNCTION evidence_no_update();
CREATE FUNCTION evidence_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION evidence_no_delete();
CREATE FUNCTION evidence_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER evidence_never_truncated BEFORE TRUNCATE ON evidence FOR EACH STATEMENT EXECUTE FUNCTION evidence_never_truncated();

-- Attendance (0013): check-in and check-out within the window, a check-out
-- after its check-in, nothing added once the event is confirmed.

CREATE FUNCTION event_attendance_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER event_attendance_no_update BEFORE UPDATE ON event_attendance FOR EACH ROW EXECUTE FUNCTION event_attendance_no_update();
CREATE FUNCTION event_attendance_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER event_attendance_no_delete BEFORE DELETE ON event_attendance FOR EACH ROW EXECUTE FUNCTION event_attendance_no_delete();
CREATE FUNCTION event_attendance_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER event_attendance_never_truncated BEFORE TRUNCATE ON event_attendance FOR EACH STATEMENT EXECUTE FUNCTION event_attendance_never_truncated();

CREATE FUNCTION attendance_confirmations_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_confirmations_no_update BEFORE UPDATE ON attendance_confirmations FOR EACH ROW EXECUTE FUNCTION attendance_confirmations_no_update();
CREATE FUNCTION attendance_confirmations_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_confirmations_no_delete BEFORE DELETE ON attendance_confirmations FOR EACH ROW EXECUTE FUNCTION attendance_confirmations_no_delete();
CREATE FUNCTION attendance_confirmations_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_confirmations_never_truncated BEFORE TRUNCATE ON attendance_confirmations FOR EACH STATEMENT EXECUTE FUNCTION attendance_confirmations_never_truncated();

CREATE FUNCTION attendance_check_ins_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM attendance_confirmations WHERE event_id = NEW.event_id) THEN
    RAISE EXCEPTION 'attendance_confirmed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM event_attendance a
                 WHERE a.event_id = NEW.event_id AND NEW.at >= a.opens_at AND NEW.at < a.closes_at) THEN
    RAISE EXCEPTION 'attendance_window_closed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER attendance_check_ins_guard BEFORE INSERT ON attendance_check_ins
FOR EACH ROW EXECUTE FUNCTION attendance_check_ins_guard();

CREATE FUNCTION attendance_check_ins_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_check_ins_no_update BEFORE UPDATE ON attendance_check_ins FOR EACH ROW EXECUTE FUNCTION attendance_check_ins_no_update();
CREATE FUNCTION attendance_check_ins_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_check_ins_no_delete BEFORE DELETE ON attendance_check_ins FOR EACH ROW EXECUTE FUNCTION attendance_check_ins_no_delete();
CREATE FUNCTION attendance_check_ins_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_check_ins_never_truncated BEFORE TRUNCATE ON attendance_check_ins FOR EACH STATEMENT EXECUTE FUNCTION attendance_check_ins_never_truncated();

CREATE FUNCTION attendance_check_outs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM attendance_confirmations WHERE event_id = NEW.event_id) THEN
    RAISE EXCEPTION 'attendance_confirmed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM event_attendance a
                 WHERE a.event_id = NEW.event_id AND NEW.at >= a.opens_at AND NEW.at < a.closes_at) THEN
    RAISE EXCEPTION 'attendance_window_closed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM attendance_check_ins i
                 WHERE i.event_id = NEW.event_id AND i.member_id = NEW.member_id AND i.at <= NEW.at) THEN
    RAISE EXCEPTION 'not_checked_in';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER attendance_check_outs_guard BEFORE INSERT ON attendance_check_outs
FOR EACH ROW EXECUTE FUNCTION attendance_check_outs_guard();

CREATE FUNCTION attendance_check_outs_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_check_outs_no_update BEFORE UPDATE ON attendance_check_outs FOR EACH ROW EXECUTE FUNCTION attendance_check_outs_no_update();
CREATE FUNCTION attendance_check_outs_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_check_outs_no_delete BEFORE DELETE ON attendance_check_outs FOR EACH ROW EXECUTE FUNCTION attendance_check_outs_no_delete();
CREATE FUNCTION attendance_check_outs_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_check_outs_never_truncated BEFORE TRUNCATE ON attendance_check_outs FOR EACH STATEMENT EXECUTE FUNCTION attendance_check_outs_never_truncated();

CREATE FUNCTION attendance_corrections_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM attendance_confirmations WHERE event_id = NEW.event_id) THEN
    RAISE EXCEPTION 'attendance_confirmed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER attendance_corrections_guard BEFORE INSERT ON attendance_corrections
FOR EACH ROW EXECUTE FUNCTION attendance_corrections_guard();

CREATE FUNCTION attendance_corrections_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_corrections_no_update BEFORE UPDATE ON attendance_corrections FOR EACH ROW EXECUTE FUNCTION attendance_corrections_no_update();
CREATE FUNCTION attendance_corrections_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_corrections_no_delete BEFORE DELETE ON attendance_corrections FOR EACH ROW EXECUTE FUNCTION attendance_corrections_no_delete();
CREATE FUNCTION attendance_corrections_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER attendance_corrections_never_truncated BEFORE TRUNCATE ON attendance_corrections FOR EACH STATEMENT EXECUTE FUNCTION attendance_corrections_never_truncated();

-- Certificates (0014): the org's next number only (else a stale read:
-- certificate_number_moved); a certificate and its revocation never change.

CREATE FUNCTION certificates_next_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.org_seq <> (SELECT coalesce(max(org_seq), 0) + 1 FROM certificates WHERE org_id = NEW.org_id) THEN
    RAISE EXCEPTION 'certificate_number_moved';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER certificates_next_number BEFORE INSERT ON certificates
FOR EACH ROW EXECUTE FUNCTION certificates_next_number();

CREATE FUNCTION certificates_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates FOR EACH ROW EXECUTE FUNCTION certificates_no_update();
CREATE FUNCTION certificates_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION certificates_no_delete();
CREATE FUNCTION certificates_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER certificates_never_truncated BEFORE TRUNCATE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION certificates_never_truncated();

CREATE FUNCTION certificate_revocations_no_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER certificate_revocations_no_update BEFORE UPDATE ON certificate_revocations FOR EACH ROW EXECUTE FUNCTION certificate_revocations_no_update();
CREATE FUNCTION certificate_revocations_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER certificate_revocations_no_delete BEFORE DELETE ON certificate_revocations FOR EACH ROW EXECUTE FUNCTION certificate_revocations_no_delete();
CREATE FUNCTION certificate_revocations_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append_only'; END $$;
CREATE TRIGGER certificate_revocations_never_truncated BEFORE TRUNCATE ON certificate_revocations FOR EACH STATEMENT EXECUTE FUNCTION certificate_revocations_never_truncated();
