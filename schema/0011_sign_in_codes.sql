-- Enrolment without a server shell: an admin or an organizer gives a member a
-- one-time sign-in code (printed on a card as a QR code); the member's phone
-- exchanges it once for a session token.
--
-- Only the SHA-256 of a code is kept (the code has 130 random bits, so no
-- salt or pepper is needed against guessing). Nothing is updated: a use and a
-- revocation are rows of their own, and the code's status is read from them.
--
-- Numbered 0011: 0010 (member numbers and status) belongs to another change.
-- Neither runner needs contiguous numbers: both apply, in order, every file
-- not yet recorded in d1_migrations. Nothing here depends on 0010.

CREATE TABLE sign_in_codes (
  id         TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members (id),
  code_hash  TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
  expires_at TEXT NOT NULL,
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX sign_in_codes_member ON sign_in_codes (member_id, created_at);

-- A revocation of an unused code stops its exchange; of a used one, it ends the
-- session it gave (checked on every request such a session makes).
CREATE TABLE sign_in_code_revocations (
  code_id    TEXT PRIMARY KEY REFERENCES sign_in_codes (id),
  reason     TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- One use per code: the primary key is the guard, so of any number of
-- concurrent exchanges exactly one inserts its row and gets a session.
CREATE TABLE sign_in_code_uses (
  code_id            TEXT PRIMARY KEY REFERENCES sign_in_codes (id),
  member_id          TEXT NOT NULL REFERENCES members (id),
  -- SHA-256 of the Idempotency-Key the exchange came with: a retry with the
  -- same code and key is answered with the same token (re-signed, not stored).
  retry_key_hash     TEXT CHECK (retry_key_hash IS NULL OR length(retry_key_hash) = 64),
  session_expires_at TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  CHECK (session_expires_at > created_at)
);

CREATE TRIGGER sign_in_code_uses_guard
BEFORE INSERT ON sign_in_code_uses
BEGIN
  SELECT RAISE(ABORT, 'sign_in_code_unknown')
  WHERE NOT EXISTS (SELECT 1 FROM sign_in_codes WHERE id = NEW.code_id AND member_id = NEW.member_id);
  SELECT RAISE(ABORT, 'sign_in_code_used')
  WHERE EXISTS (SELECT 1 FROM sign_in_code_uses WHERE code_id = NEW.code_id);
  SELECT RAISE(ABORT, 'sign_in_code_revoked')
  WHERE EXISTS (SELECT 1 FROM sign_in_code_revocations WHERE code_id = NEW.code_id);
  SELECT RAISE(ABORT, 'sign_in_code_expired')
  FROM sign_in_codes c WHERE c.id = NEW.code_id AND NEW.created_at >= c.expires_at;
END;

CREATE TRIGGER sign_in_codes_no_update BEFORE UPDATE ON sign_in_codes BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER sign_in_codes_no_delete BEFORE DELETE ON sign_in_codes BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER sign_in_code_uses_no_update BEFORE UPDATE ON sign_in_code_uses BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER sign_in_code_uses_no_delete BEFORE DELETE ON sign_in_code_uses BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER sign_in_code_revocations_no_update BEFORE UPDATE ON sign_in_code_revocations BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER sign_in_code_revocations_no_delete BEFORE DELETE ON sign_in_code_revocations BEGIN SELECT RAISE(ABORT, 'append_only'); END;
