-- Jifen on PostgreSQL: claims_hardening's times read quickly when they are
-- the service's own. Frozen once landed: later changes are new migrations.
--
-- claims_hardening (0003) compares a claim's times as SQLite's strftime
-- writes them, reading any text the way SQLite would: a regular expression,
-- calendar arithmetic and formatting for each of three times, in PL/pgSQL,
-- on every claim. That made it the dearest guard of a credit. The service
-- itself only ever writes toISOString() text ('2026-03-01T08:00:00.000Z'),
-- and for such text, in years 1000 to 9998 and on a date that exists, SQLite
-- reads the instant that PostgreSQL's timestamptz reads, and the formatted
-- times order as the instants do. So:
--
-- * app_instant_ms(t) is the instant in milliseconds when t is such text
--   (February 29th is left out, to keep the pattern free of leap years), and
--   NULL for any other text;
-- * claims_hardening now fires only when a time is other text, and reads it
--   as before;
-- * claims_hardening_app_times makes the same checks, in the same order, on
--   the instants. It fires right after claims_hardening, by name, so the
--   order of the claims guards is unchanged.
--
-- The backfill and scope checks are claims_hardening's, repeated as they are.

CREATE FUNCTION app_instant_ms(t text) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN t ~ '^[1-9][0-9]{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z$'
         AND t < '9999'
    THEN extract(epoch FROM t::timestamptz) * 1000
  END
$$;

DROP TRIGGER claims_hardening ON claims;
CREATE TRIGGER claims_hardening BEFORE INSERT ON claims
FOR EACH ROW WHEN (app_instant_ms(NEW.occurred_at) IS NULL OR app_instant_ms(NEW.created_at) IS NULL)
EXECUTE FUNCTION claims_hardening();

CREATE FUNCTION claims_hardening_app_times() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  occurred numeric := app_instant_ms(NEW.occurred_at);
  created numeric := app_instant_ms(NEW.created_at);
  oldest numeric;
BEGIN
  IF (SELECT status FROM members WHERE id = NEW.member_id) <> 'active' THEN
    RAISE EXCEPTION 'member_deactivated';
  END IF;
  IF NEW.max_age_days IS NULL OR NEW.max_age_days < 1 THEN
    RAISE EXCEPTION 'claim_max_age_invalid';
  END IF;
  -- '+5 minutes' stays below the year 9999 SQLite can write.
  IF occurred > created + 300000 THEN
    RAISE EXCEPTION 'occurred_in_future';
  END IF;
  IF NEW.backfill_reason IS NOT NULL AND NEW.submitted_role <> 'admin' THEN
    RAISE EXCEPTION 'backfill_admin_only';
  END IF;
  -- '-N days' before SQLite's first day (Julian day 0) is no time to SQLite, and no claim is older than it.
  oldest := created - NEW.max_age_days::numeric * 86400000;
  IF NEW.backfill_reason IS NULL AND oldest >= -210866760000000 AND occurred < oldest THEN
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
CREATE TRIGGER claims_hardening_app_times BEFORE INSERT ON claims
FOR EACH ROW WHEN (app_instant_ms(NEW.occurred_at) IS NOT NULL AND app_instant_ms(NEW.created_at) IS NOT NULL)
EXECUTE FUNCTION claims_hardening_app_times();
