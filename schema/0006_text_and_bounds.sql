-- Bounds on stored values. One amount is at most 10^9 points (checked before
-- a write: MAX_AMOUNT in src/ledger/amount.ts); no stored balance may pass
-- 10^11 points either way (MAX_BALANCE, the same number in hundredths). So
-- every balance is a safe integer in JavaScript and sums over accounts fit
-- SQLite's 64-bit integers. A posting whose running balance would pass the
-- bound aborts its whole write, on every backend.
CREATE TRIGGER postings_within_bound
BEFORE INSERT ON postings
WHEN NEW.balance_after > 10000000000000 OR NEW.balance_after < -10000000000000
BEGIN
  SELECT RAISE(ABORT, 'balance_out_of_range');
END;
