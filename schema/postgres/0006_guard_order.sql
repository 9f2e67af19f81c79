-- Jifen on PostgreSQL: a row that two guards refuse is refused with the
-- word SQLite gives. Frozen once landed: later changes are new migrations.
-- test/postgres/schema-twins.test.ts compares the orders, table by table.
--
-- SQLite fires a table's triggers of one timing and event newest first; on
-- a posting: postings_member_active (0010), postings_expiry_within_due
-- (0009), postings_within_bound (0006), postings_guard (0001). PostgreSQL
-- fires them by name: expiry_within_due, guard, member_active, then
-- update_balance and within_bound. So a deactivated member spending more than
-- it has was told insufficient_funds here and member_deactivated there, and a
-- balance past the bound on an unknown account unknown_account here.
--
-- Two more triggers run the same guards' functions where SQLite's order puts
-- them, by their names: postings_active_member_first before
-- postings_expiry_within_due, postings_fits_bound between it and
-- postings_guard. The triggers of 0002 stay, as the twins of SQLite's, and
-- find nothing left to refuse.

CREATE TRIGGER postings_active_member_first
BEFORE INSERT ON postings
FOR EACH ROW
WHEN (NEW.account_id ILIKE 'worker:%')
EXECUTE FUNCTION postings_member_active();

CREATE TRIGGER postings_fits_bound
BEFORE INSERT ON postings
FOR EACH ROW
WHEN (NEW.balance_after > 10000000000000 OR NEW.balance_after < -10000000000000)
EXECUTE FUNCTION postings_within_bound();

-- Transactions: SQLite checks a reversal (transactions_reversal_rules, 0009)
-- before the chain (transactions_extend_head, 0001); by name PostgreSQL did
-- the opposite, so a reversal that may not be made, built on a stale head,
-- was a chain conflict here (the service builds it again on the head and is
-- then refused, so its answer was the same; a raw insert's word was not).
CREATE TRIGGER transactions_check_reversal_first
BEFORE INSERT ON transactions
FOR EACH ROW
WHEN (NEW.reverses_id IS NOT NULL)
EXECUTE FUNCTION transactions_reversal_rules();

-- Claims: SQLite checks the member (claims_member_active, 0010) before the
-- times and scope (claims_hardening, 0008). claims_hardening and its quick
-- twin (0005) check the member first themselves; this runs the member's
-- guard itself in SQLite's place, before them.
CREATE TRIGGER claims_for_active_members
BEFORE INSERT ON claims
FOR EACH ROW
EXECUTE FUNCTION claims_member_active();
