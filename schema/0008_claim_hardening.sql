-- Claim hardening (issue 17): guards on what a claim row may say, so that no
-- path that records claims can forget them.
--
-- 1. Backdating: a claim is for something that happened at most
--    `max_age_days` before it was recorded (the programme's
--    JIFEN_CLAIM_MAX_AGE_DAYS, carried by the row it was accepted under) and
--    not after it (5 minutes of clock skew). Only an admin may record an older
--    one, as a back-fill with its reason kept on the row.
-- 2. Maker-checker by splitting: what one decider auto-approves for one
--    member, activity and programme day is summed, and the sum may not pass
--    the activity's threshold (ten small claims are one large one).
-- 3. Scope: an organizer's claim names the organizer's org (from its token),
--    and both the member's home org and the claim's org lie in its subtree.

ALTER TABLE claims ADD COLUMN max_age_days INTEGER NOT NULL DEFAULT 30;
-- Set (to why) only when an admin records a claim older than max_age_days.
ALTER TABLE claims ADD COLUMN backfill_reason TEXT;
-- The programme-time day ('YYYY-MM-DD') of occurred_at, as caps count it.
ALTER TABLE claims ADD COLUMN programme_day TEXT;
-- The org of the organizer who recorded the claim (its scope).
ALTER TABLE claims ADD COLUMN submitter_org_id TEXT;

-- Times compare as ISO text ('YYYY-MM-DDTHH:MM:SS.SSSZ'), both sides
-- normalized by strftime: no floating julian days.
CREATE TRIGGER claims_hardening
BEFORE INSERT ON claims
BEGIN
  SELECT RAISE(ABORT, 'claim_max_age_invalid')
  WHERE NEW.max_age_days IS NULL OR typeof(NEW.max_age_days) <> 'integer' OR NEW.max_age_days < 1;
  SELECT RAISE(ABORT, 'occurred_in_future')
  WHERE strftime('%Y-%m-%dT%H:%M:%fZ', NEW.occurred_at) > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at, '+5 minutes');
  SELECT RAISE(ABORT, 'backfill_admin_only')
  WHERE NEW.backfill_reason IS NOT NULL AND NEW.submitted_role <> 'admin';
  SELECT RAISE(ABORT, 'claim_too_old')
  WHERE NEW.backfill_reason IS NULL
    AND coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', NEW.occurred_at), '')
        < strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at, '-' || NEW.max_age_days || ' days');
  SELECT RAISE(ABORT, 'outside_scope')
  WHERE NEW.submitted_role = 'organizer'
    AND NOT EXISTS (
      SELECT 1 FROM orgs s, members m, orgs home, orgs o
      WHERE s.id = NEW.submitter_org_id AND m.id = NEW.member_id AND home.id = m.home_org_id AND o.id = NEW.org_id
        AND substr(home.path, 1, length(s.path)) = s.path
        AND substr(o.path, 1, length(s.path)) = s.path);
END;

-- Points (before caps) each decider approved on submission, per member,
-- activity and programme day, with the threshold they were held to. Kept by
-- the trigger below, so every auto-approval counts; a total above the
-- threshold fails the CHECK and the whole write is refused (the service
-- then reads again and leaves the claim pending for a second organizer).
CREATE TABLE auto_approval_totals (
  decided_sub   TEXT NOT NULL,
  member_id     TEXT NOT NULL,
  activity_code TEXT NOT NULL,
  day           TEXT NOT NULL,
  points        INTEGER NOT NULL CHECK (points >= 0),
  threshold     INTEGER NOT NULL,
  PRIMARY KEY (decided_sub, member_id, activity_code, day),
  CONSTRAINT auto_approval_threshold CHECK (points <= threshold)
);

-- Activities without a threshold need no second organizer, so no total is kept.
CREATE TRIGGER claim_decisions_auto_total
AFTER INSERT ON claim_decisions
WHEN NEW.mode = 'auto' AND NEW.decision = 'approve'
BEGIN
  INSERT INTO auto_approval_totals (decided_sub, member_id, activity_code, day, points, threshold)
  SELECT NEW.decided_sub, c.member_id, c.activity_code, coalesce(c.programme_day, substr(c.occurred_at, 1, 10)),
         c.points, t.maker_checker_threshold
  FROM claims c JOIN activity_types t ON t.code = c.activity_code AND t.version = c.activity_version
  WHERE c.id = NEW.claim_id AND t.maker_checker_threshold IS NOT NULL
  ON CONFLICT (decided_sub, member_id, activity_code, day)
  DO UPDATE SET points = points + excluded.points, threshold = excluded.threshold;
END;

CREATE TRIGGER auto_approval_totals_no_delete BEFORE DELETE ON auto_approval_totals
BEGIN SELECT RAISE(ABORT, 'append_only'); END;

CREATE INDEX claims_backfill ON claims (created_at) WHERE backfill_reason IS NOT NULL;
