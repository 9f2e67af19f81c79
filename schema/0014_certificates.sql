-- Service-record certificates (志愿服务记录证明): one per issuing org and
-- request, numbered from that org's register, signed by the service key.
-- Append-only: a certificate and its revocation are never changed.
--
-- The number is signed into the certificate, so the service names it before
-- the write; the database decides whether it stands: the trigger admits only
-- the org's next number (else the write is rebuilt: certificate_number_moved,
-- a stale read), and the unique index keeps two from ever sharing one.

CREATE TABLE certificates (
  number     TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  -- The org's register: 1, 2, 3, ... per org.
  org_seq    INTEGER NOT NULL CHECK (org_seq >= 1),
  member_id  TEXT NOT NULL REFERENCES members (id),
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  -- The certified content (JSON) and the compact JWS over it.
  content    TEXT NOT NULL,
  jws        TEXT NOT NULL,
  -- The claims whose hours it certifies (a JSON array of ids): a later
  -- revocation of any of them revokes the certificate.
  claim_ids  TEXT NOT NULL,
  issued_by  TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX certificates_org_register ON certificates (org_id, org_seq);
CREATE INDEX certificates_member ON certificates (member_id, created_at);

CREATE TRIGGER certificates_next_number
BEFORE INSERT ON certificates
BEGIN
  SELECT RAISE(ABORT, 'certificate_number_moved')
  WHERE NEW.org_seq <> (SELECT coalesce(max(org_seq), 0) + 1 FROM certificates WHERE org_id = NEW.org_id);
END;

CREATE TABLE certificate_revocations (
  number     TEXT PRIMARY KEY REFERENCES certificates (number),
  reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  revoked_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER certificate_revocations_no_update BEFORE UPDATE ON certificate_revocations BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER certificate_revocations_no_delete BEFORE DELETE ON certificate_revocations BEGIN SELECT RAISE(ABORT, 'append_only'); END;
