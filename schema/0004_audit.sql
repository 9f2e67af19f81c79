-- Audit and integrity: balance at an instant, signed checkpoints, points
-- expiry, and leaderboard preferences.

INSERT INTO transaction_kinds (kind, allows_overdraft) VALUES ('points_expiry', 0);

-- Balance of an account at an instant: the last posting at or before it.
CREATE INDEX postings_account_created ON postings (account_id, created_at);

-- Signed checkpoints: a JWS (EdDSA) over { seq, hash, issued_at } of the
-- chain head. Each names a seq no lower than the one before.
CREATE TABLE checkpoints (
  id         TEXT PRIMARY KEY,
  seq        INTEGER NOT NULL,
  hash       TEXT NOT NULL,
  issued_at  TEXT NOT NULL,
  jws        TEXT NOT NULL,
  actor      TEXT NOT NULL
);
CREATE INDEX checkpoints_issued ON checkpoints (issued_at);

CREATE TRIGGER checkpoints_match_chain
BEFORE INSERT ON checkpoints
BEGIN
  SELECT RAISE(ABORT, 'checkpoint_mismatch')
  WHERE NEW.seq > 0 AND NEW.hash IS NOT (SELECT hash FROM transactions WHERE seq = NEW.seq);
END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'append_only'); END;

CREATE TABLE member_preferences (
  member_id           TEXT PRIMARY KEY REFERENCES members (id),
  leaderboard_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (leaderboard_opt_out IN (0, 1)),
  updated_at          TEXT NOT NULL
);
