-- Redemption: merchants and their catalog, one-time redeem codes, atomic
-- redemptions with signed receipts, discount cards, reward holds, refunds
-- and settlement. Guards are constraints and triggers, as in 0001.

INSERT INTO transaction_kinds (kind, allows_overdraft) VALUES
  ('redemption', 0),
  -- A refund after settlement may leave the merchant owing points back to
  -- the programme; the next settlement nets it.
  ('redemption_refund', 1),
  ('settlement', 0);

CREATE TABLE merchants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  account_id TEXT NOT NULL UNIQUE REFERENCES accounts (id),
  created_at TEXT NOT NULL
);
CREATE INDEX merchants_org ON merchants (org_id);

-- The catalog. Price and stock change over time (a redemption records the
-- price it paid); stock is decremented by the redemption's own write and
-- can never go below zero.
CREATE TABLE rewards (
  id                   TEXT PRIMARY KEY,
  merchant_id          TEXT NOT NULL REFERENCES merchants (id),
  kind                 TEXT NOT NULL CHECK (kind IN ('goods', 'discount_card')),
  name                 TEXT NOT NULL,
  price                INTEGER NOT NULL CHECK (price > 0),
  stock                INTEGER,
  per_member_limit     INTEGER CHECK (per_member_limit > 0),
  limit_period         TEXT NOT NULL DEFAULT 'month' CHECK (limit_period IN ('day', 'month', 'year', 'ever')),
  card_percent_off     TEXT,
  card_amount_off_cny  TEXT,
  card_valid_days      INTEGER CHECK (card_valid_days > 0),
  card_uses            INTEGER CHECK (card_uses > 0),
  active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  CONSTRAINT reward_stock CHECK (stock IS NULL OR stock >= 0),
  CHECK (kind = 'goods' OR (card_valid_days IS NOT NULL AND card_uses IS NOT NULL
         AND ((card_percent_off IS NULL) <> (card_amount_off_cny IS NULL))))
);
CREATE INDEX rewards_merchant ON rewards (merchant_id);

CREATE TRIGGER rewards_identity_is_fixed
BEFORE UPDATE OF id, merchant_id, kind, created_at ON rewards
BEGIN
  SELECT RAISE(ABORT, 'append_only');
END;

-- What a member has taken of a limited reward per period ('d:…', 'm:…',
-- 'y:…' or 'ever'), with the limit it was taken under.
CREATE TABLE reward_member_counts (
  reward_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  period    TEXT NOT NULL,
  quantity  INTEGER NOT NULL CHECK (quantity >= 0),
  max       INTEGER NOT NULL,
  PRIMARY KEY (reward_id, member_id, period),
  CONSTRAINT member_limit CHECK (quantity <= max)
);

-- One-time redeem codes. Only a hash is stored: a copy of the database does
-- not reveal live codes.
CREATE TABLE redeem_codes (
  code_hash  TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members (id),
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX redeem_codes_member ON redeem_codes (member_id, created_at);

CREATE TABLE redeem_code_uses (
  code_hash  TEXT PRIMARY KEY REFERENCES redeem_codes (code_hash),
  member_id  TEXT NOT NULL,
  used_for   TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TRIGGER redeem_code_uses_guard
BEFORE INSERT ON redeem_code_uses
BEGIN
  SELECT RAISE(ABORT, 'invalid_code')
  WHERE NOT EXISTS (SELECT 1 FROM redeem_codes WHERE code_hash = NEW.code_hash AND member_id = NEW.member_id);
  SELECT RAISE(ABORT, 'code_used')
  WHERE EXISTS (SELECT 1 FROM redeem_code_uses WHERE code_hash = NEW.code_hash);
  SELECT RAISE(ABORT, 'code_expired')
  FROM redeem_codes c WHERE c.code_hash = NEW.code_hash AND NEW.created_at >= c.expires_at;
END;

CREATE TABLE redemptions (
  id                TEXT PRIMARY KEY,
  merchant_id       TEXT NOT NULL REFERENCES merchants (id),
  reward_id         TEXT NOT NULL REFERENCES rewards (id),
  member_id         TEXT NOT NULL REFERENCES members (id),
  quantity          INTEGER NOT NULL CHECK (quantity > 0),
  unit_price        INTEGER NOT NULL CHECK (unit_price > 0),
  points            INTEGER NOT NULL CHECK (points = unit_price * quantity),
  tx_id             TEXT NOT NULL UNIQUE,
  hold_id           TEXT UNIQUE,
  refundable_until  TEXT NOT NULL,
  created_at        TEXT NOT NULL
);
CREATE INDEX redemptions_merchant ON redemptions (merchant_id, created_at);
CREATE INDEX redemptions_member ON redemptions (member_id, created_at);

CREATE TABLE refunds (
  redemption_id TEXT PRIMARY KEY REFERENCES redemptions (id),
  reason        TEXT NOT NULL,
  tx_id         TEXT NOT NULL UNIQUE,
  actor         TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TRIGGER refunds_guard
BEFORE INSERT ON refunds
BEGIN
  SELECT RAISE(ABORT, 'already_refunded')
  WHERE EXISTS (SELECT 1 FROM refunds WHERE redemption_id = NEW.redemption_id);
  SELECT RAISE(ABORT, 'refund_window_closed')
  FROM redemptions r WHERE r.id = NEW.redemption_id AND NEW.created_at > r.refundable_until;
  SELECT RAISE(ABORT, 'card_used')
  FROM cards c WHERE c.redemption_id = NEW.redemption_id
    AND EXISTS (SELECT 1 FROM card_uses u WHERE u.card_id = c.id);
END;

-- Discount cards issued by a redemption: used at their merchant only, until
-- they expire or their uses run out; revoked by a refund while unused.
CREATE TABLE cards (
  id              TEXT PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  redemption_id   TEXT NOT NULL REFERENCES redemptions (id),
  member_id       TEXT NOT NULL REFERENCES members (id),
  merchant_id     TEXT NOT NULL REFERENCES merchants (id),
  reward_id       TEXT NOT NULL REFERENCES rewards (id),
  name            TEXT NOT NULL,
  percent_off     TEXT,
  amount_off_cny  TEXT,
  uses            INTEGER NOT NULL CHECK (uses > 0),
  expires_at      TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX cards_member ON cards (member_id, created_at);
CREATE INDEX cards_redemption ON cards (redemption_id);

CREATE TABLE card_uses (
  card_id      TEXT NOT NULL REFERENCES cards (id),
  n            INTEGER NOT NULL CHECK (n >= 1),
  merchant_id  TEXT NOT NULL,
  bill_cny     TEXT,
  discount_cny TEXT,
  actor        TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (card_id, n)
);

CREATE TRIGGER card_uses_guard
BEFORE INSERT ON card_uses
BEGIN
  SELECT RAISE(ABORT, 'unknown_card') WHERE NOT EXISTS (SELECT 1 FROM cards WHERE id = NEW.card_id);
  SELECT RAISE(ABORT, 'card_wrong_merchant') FROM cards c WHERE c.id = NEW.card_id AND c.merchant_id <> NEW.merchant_id;
  SELECT RAISE(ABORT, 'card_revoked')
  FROM cards c WHERE c.id = NEW.card_id AND EXISTS (SELECT 1 FROM refunds f WHERE f.redemption_id = c.redemption_id);
  SELECT RAISE(ABORT, 'card_expired') FROM cards c WHERE c.id = NEW.card_id AND NEW.created_at >= c.expires_at;
  SELECT RAISE(ABORT, 'card_exhausted') FROM cards c WHERE c.id = NEW.card_id AND NEW.n > c.uses;
  SELECT RAISE(ABORT, 'card_use_conflict')
  WHERE NEW.n <> coalesce((SELECT max(n) FROM card_uses WHERE card_id = NEW.card_id), 0) + 1;
END;

-- A reward reserved for pickup: the points are a ledger hold; the stock
-- and the member's limit are taken now and given back if the hold is voided
-- or expires.
CREATE TABLE reward_holds (
  hold_id     TEXT PRIMARY KEY REFERENCES holds (id),
  reward_id   TEXT NOT NULL REFERENCES rewards (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  member_id   TEXT NOT NULL REFERENCES members (id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  unit_price  INTEGER NOT NULL CHECK (unit_price > 0),
  periods     TEXT NOT NULL
);
CREATE INDEX reward_holds_member ON reward_holds (member_id);

CREATE TRIGGER reward_holds_release
AFTER INSERT ON hold_resolutions
WHEN NEW.kind IN ('void', 'expire')
BEGIN
  UPDATE rewards SET stock = stock + (SELECT quantity FROM reward_holds WHERE hold_id = NEW.hold_id)
  WHERE stock IS NOT NULL AND id = (SELECT reward_id FROM reward_holds WHERE hold_id = NEW.hold_id);
  UPDATE reward_member_counts SET quantity = quantity - (SELECT quantity FROM reward_holds WHERE hold_id = NEW.hold_id)
  WHERE reward_id = (SELECT reward_id FROM reward_holds WHERE hold_id = NEW.hold_id)
    AND member_id = (SELECT member_id FROM reward_holds WHERE hold_id = NEW.hold_id)
    AND period IN (SELECT value FROM json_each((SELECT periods FROM reward_holds WHERE hold_id = NEW.hold_id)));
END;

CREATE TABLE settlements (
  id           TEXT PRIMARY KEY,
  merchant_id  TEXT NOT NULL REFERENCES merchants (id),
  points       INTEGER NOT NULL CHECK (points > 0),
  cny          TEXT NOT NULL,
  rate_cny     TEXT NOT NULL,
  period_from  TEXT,
  period_to    TEXT,
  reference    TEXT,
  tx_id        TEXT NOT NULL UNIQUE,
  actor        TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX settlements_merchant ON settlements (merchant_id, created_at);

CREATE TRIGGER redemptions_no_update BEFORE UPDATE ON redemptions BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER redemptions_no_delete BEFORE DELETE ON redemptions BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER cards_no_update BEFORE UPDATE ON cards BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER cards_no_delete BEFORE DELETE ON cards BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER card_uses_no_update BEFORE UPDATE ON card_uses BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER card_uses_no_delete BEFORE DELETE ON card_uses BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER redeem_code_uses_no_update BEFORE UPDATE ON redeem_code_uses BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER redeem_code_uses_no_delete BEFORE DELETE ON redeem_code_uses BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER reward_holds_no_update BEFORE UPDATE ON reward_holds BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER reward_holds_no_delete BEFORE DELETE ON reward_holds BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER settlements_no_update BEFORE UPDATE ON settlements BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER settlements_no_delete BEFORE DELETE ON settlements BEGIN SELECT RAISE(ABORT, 'append_only'); END;
