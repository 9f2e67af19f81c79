-- Jifen ledger core. Frozen once landed: later changes are new migrations.
--
-- Every guard of the ledger lives here, as constraints and triggers, because
-- D1 has no interactive transactions: a write is one atomic batch and the
-- database itself must refuse anything wrong. The same file runs on
-- better-sqlite3 and on D1.
--
-- Amounts are signed integers in hundredths of a point.

CREATE TABLE orgs (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('city','district','street','community','grid','station','industry')),
  parent_id  TEXT REFERENCES orgs (id),
  -- Materialised path '/root/.../id/' so a subtree is one indexed prefix range.
  path       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE members (
  id           TEXT PRIMARY KEY,
  display_name TEXT,
  platform     TEXT,
  home_org_id  TEXT NOT NULL REFERENCES orgs (id),
  external_ref TEXT UNIQUE,
  account_id   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL
);
CREATE INDEX members_home_org ON members (home_org_id);

-- Kinds of ledger transaction; allows_overdraft names the kinds that may take
-- a no-overdraft account below zero (only reversals of earned credits).
CREATE TABLE transaction_kinds (
  kind             TEXT PRIMARY KEY,
  allows_overdraft INTEGER NOT NULL DEFAULT 0 CHECK (allows_overdraft IN (0, 1))
);
INSERT INTO transaction_kinds (kind, allows_overdraft) VALUES
  ('budget_allocation', 0),
  ('adjustment', 0),
  ('reversal', 0),
  ('hold_capture', 0);

CREATE TABLE accounts (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('issuance','budget','worker','merchant','settled','expired')),
  owner_id     TEXT,
  no_overdraft INTEGER NOT NULL CHECK (no_overdraft IN (0, 1)),
  -- Stored balances, maintained only by the triggers below.
  posted       INTEGER NOT NULL DEFAULT 0,
  held         INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
  created_at   TEXT NOT NULL
);
CREATE INDEX accounts_kind ON accounts (kind);

INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) VALUES
  ('program:issuance', 'issuance', NULL, 0, '1970-01-01T00:00:00.000Z'),
  ('program:settled',  'settled',  NULL, 1, '1970-01-01T00:00:00.000Z'),
  ('program:expired',  'expired',  NULL, 1, '1970-01-01T00:00:00.000Z');

CREATE TRIGGER accounts_identity_is_fixed
BEFORE UPDATE OF id, kind, owner_id, no_overdraft, created_at ON accounts
BEGIN
  SELECT RAISE(ABORT, 'append_only');
END;

CREATE TRIGGER accounts_never_deleted
BEFORE DELETE ON accounts
BEGIN
  SELECT RAISE(ABORT, 'append_only');
END;

-- Direct edits of a stored balance cannot take a guarded account below zero
-- unless the posting that caused it belongs to an overdraft-allowing kind
-- (that check is on postings; this one catches hand-made UPDATEs of held).
CREATE TRIGGER accounts_held_within_posted
BEFORE UPDATE OF held ON accounts
WHEN NEW.no_overdraft = 1 AND NEW.held > OLD.held AND NEW.posted - NEW.held < 0
BEGIN
  SELECT RAISE(ABORT, 'insufficient_funds');
END;

-- The hash chain. seq is contiguous from 1; each row names the hash of the
-- row before it, so two writers cannot both extend the chain from one head
-- (the second hits the PRIMARY KEY on seq).
CREATE TABLE transactions (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL REFERENCES transaction_kinds (kind),
  actor       TEXT NOT NULL,
  memo        TEXT,
  ref_type    TEXT,
  ref_id      TEXT,
  reverses_id TEXT UNIQUE REFERENCES transactions (id),
  created_at  TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX transactions_ref ON transactions (ref_type, ref_id);
CREATE INDEX transactions_kind_created ON transactions (kind, created_at);
CREATE INDEX transactions_actor ON transactions (actor, seq);

CREATE TRIGGER transactions_extend_head
BEFORE INSERT ON transactions
BEGIN
  SELECT RAISE(ABORT, 'chain_conflict')
  WHERE (NEW.seq = 1 AND NEW.prev_hash <> '0000000000000000000000000000000000000000000000000000000000000000')
     OR (NEW.seq > 1 AND NEW.prev_hash IS NOT (SELECT hash FROM transactions WHERE seq = NEW.seq - 1))
     OR NEW.seq < 1;
  -- The previous transaction must have been sealed (balanced) in its own write.
  SELECT RAISE(ABORT, 'unbalanced_transaction')
  WHERE NEW.seq > 1 AND NOT EXISTS (
    SELECT 1 FROM transaction_seals s JOIN transactions t ON t.id = s.tx_id WHERE t.seq = NEW.seq - 1
  );
END;

CREATE TABLE postings (
  tx_id         TEXT NOT NULL REFERENCES transactions (id),
  seq           INTEGER NOT NULL,
  account_id    TEXT NOT NULL REFERENCES accounts (id),
  amount        INTEGER NOT NULL CHECK (amount <> 0),
  -- Posted balance of the account after this posting: statements and
  -- balance-at-time read it instead of summing from the start.
  balance_after INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (tx_id, account_id)
);
CREATE INDEX postings_account_seq ON postings (account_id, seq);
CREATE INDEX postings_seq ON postings (seq);

CREATE TRIGGER postings_guard
BEFORE INSERT ON postings
BEGIN
  SELECT RAISE(ABORT, 'unknown_account')
  WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE id = NEW.account_id);
  SELECT RAISE(ABORT, 'transaction_sealed')
  WHERE EXISTS (SELECT 1 FROM transaction_seals WHERE tx_id = NEW.tx_id);
  SELECT RAISE(ABORT, 'posting_mismatch')
  WHERE NEW.seq IS NOT (SELECT seq FROM transactions WHERE id = NEW.tx_id)
     OR NEW.balance_after IS NOT (SELECT posted + NEW.amount FROM accounts WHERE id = NEW.account_id);
  SELECT RAISE(ABORT, 'insufficient_funds')
  FROM accounts a
  WHERE a.id = NEW.account_id
    AND NEW.amount < 0
    AND a.no_overdraft = 1
    AND a.posted - a.held + NEW.amount < 0
    AND (SELECT k.allows_overdraft FROM transactions t JOIN transaction_kinds k ON k.kind = t.kind
         WHERE t.id = NEW.tx_id) = 0;
END;

CREATE TRIGGER postings_update_balance
AFTER INSERT ON postings
BEGIN
  UPDATE accounts SET posted = posted + NEW.amount WHERE id = NEW.account_id;
END;

-- Written last in every ledger write: refuses a transaction whose postings
-- do not sum to zero or that has fewer than two.
CREATE TABLE transaction_seals (
  tx_id TEXT PRIMARY KEY REFERENCES transactions (id)
);

CREATE TRIGGER transaction_seals_balanced
BEFORE INSERT ON transaction_seals
BEGIN
  SELECT RAISE(ABORT, 'unbalanced_transaction')
  WHERE (SELECT count(*) FROM postings WHERE tx_id = NEW.tx_id) < 2
     OR (SELECT sum(amount) FROM postings WHERE tx_id = NEW.tx_id) <> 0;
END;

-- Holds: a reservation of part of an account's balance. A hold resolves
-- exactly once (PRIMARY KEY of hold_resolutions): captured in full or in
-- part, voided, or expired.
CREATE TABLE holds (
  id                     TEXT PRIMARY KEY,
  account_id             TEXT NOT NULL REFERENCES accounts (id),
  destination_account_id TEXT NOT NULL REFERENCES accounts (id),
  amount                 INTEGER NOT NULL CHECK (amount > 0),
  ref_type               TEXT,
  ref_id                 TEXT,
  actor                  TEXT NOT NULL,
  expires_at             TEXT NOT NULL,
  created_at             TEXT NOT NULL,
  CHECK (account_id <> destination_account_id),
  CHECK (expires_at > created_at)
);
CREATE INDEX holds_account ON holds (account_id);
CREATE INDEX holds_expires ON holds (expires_at);

CREATE TRIGGER holds_reserve
BEFORE INSERT ON holds
BEGIN
  SELECT RAISE(ABORT, 'insufficient_funds')
  FROM accounts a
  WHERE a.id = NEW.account_id AND a.no_overdraft = 1 AND a.posted - a.held - NEW.amount < 0;
END;

CREATE TRIGGER holds_update_held
AFTER INSERT ON holds
BEGIN
  UPDATE accounts SET held = held + NEW.amount WHERE id = NEW.account_id;
END;

CREATE TABLE hold_resolutions (
  hold_id    TEXT PRIMARY KEY REFERENCES holds (id),
  kind       TEXT NOT NULL CHECK (kind IN ('capture','void','expire')),
  amount     INTEGER NOT NULL CHECK (amount >= 0),
  tx_id      TEXT UNIQUE,
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((kind = 'capture') = (amount > 0)),
  CHECK ((kind = 'capture') = (tx_id IS NOT NULL))
);

CREATE TRIGGER hold_resolutions_guard
BEFORE INSERT ON hold_resolutions
BEGIN
  SELECT RAISE(ABORT, 'unknown_hold')
  WHERE NOT EXISTS (SELECT 1 FROM holds WHERE id = NEW.hold_id);
  SELECT RAISE(ABORT, 'hold_already_resolved')
  WHERE EXISTS (SELECT 1 FROM hold_resolutions WHERE hold_id = NEW.hold_id);
  SELECT RAISE(ABORT, 'hold_expired')
  FROM holds h WHERE h.id = NEW.hold_id AND NEW.kind IN ('capture','void') AND NEW.created_at >= h.expires_at;
  SELECT RAISE(ABORT, 'hold_not_expired')
  FROM holds h WHERE h.id = NEW.hold_id AND NEW.kind = 'expire' AND NEW.created_at < h.expires_at;
  SELECT RAISE(ABORT, 'capture_exceeds_hold')
  FROM holds h WHERE h.id = NEW.hold_id AND NEW.amount > h.amount;
END;

CREATE TRIGGER hold_resolutions_release
AFTER INSERT ON hold_resolutions
BEGIN
  UPDATE accounts SET held = held - (SELECT amount FROM holds WHERE id = NEW.hold_id)
  WHERE id = (SELECT account_id FROM holds WHERE id = NEW.hold_id);
END;

-- Idempotency: the first answer to (caller, key) is stored in the same atomic
-- write as its effects, so a duplicate either replays it or was never written.
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  body         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Append-only: nothing in the ledger is ever updated or deleted.
CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER transaction_seals_no_update BEFORE UPDATE ON transaction_seals
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER transaction_seals_no_delete BEFORE DELETE ON transaction_seals
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER holds_no_update BEFORE UPDATE ON holds
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER hold_resolutions_no_update BEFORE UPDATE ON hold_resolutions
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER hold_resolutions_no_delete BEFORE DELETE ON hold_resolutions
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER idempotency_keys_no_update BEFORE UPDATE ON idempotency_keys
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER orgs_no_delete BEFORE DELETE ON orgs
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER members_no_delete BEFORE DELETE ON members
BEGIN SELECT RAISE(ABORT, 'append_only'); END;
