-- Photo evidence: the images workers (and organizers) upload for a claim.
-- The bytes live outside the database (the data folder on Node, an R2 bucket
-- on Workers), addressed by the SHA-256 of what was stored, which is the image
-- with its metadata (location first of all) taken out. A row per upload: two
-- uploads of the same bytes are two rows over one stored object, each readable
-- by whom its own row and claims allow.
CREATE TABLE evidence (
  id            TEXT PRIMARY KEY,
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  -- Bytes stored; the limit on an upload is the service's (src/evidence/limits.ts), this only bounds it.
  size          INTEGER NOT NULL CHECK (size > 0 AND size <= 16777216),
  -- Who uploaded it, as claims name their submitter (role:sub).
  uploaded_by   TEXT NOT NULL,
  uploader_role TEXT NOT NULL CHECK (uploader_role IN ('admin', 'organizer', 'worker')),
  -- The uploading worker's member id (null for an organizer or admin).
  member_id     TEXT REFERENCES members (id),
  created_at    TEXT NOT NULL
);
CREATE INDEX evidence_sha256 ON evidence (sha256);

CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- A claim may link stored evidence instead of (or beside) an evidence link.
ALTER TABLE claims ADD COLUMN evidence_id TEXT REFERENCES evidence (id);
CREATE INDEX claims_evidence ON claims (evidence_id) WHERE evidence_id IS NOT NULL;

-- Only the uploader links its evidence: a claim naming someone else's upload
-- (or one that does not exist) is refused, whoever submits it.
CREATE TRIGGER claims_evidence_uploader
BEFORE INSERT ON claims
WHEN NEW.evidence_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = NEW.evidence_id AND e.uploaded_by = NEW.submitted_by
                    AND (e.member_id IS NULL OR e.member_id = NEW.member_id))
BEGIN SELECT RAISE(ABORT, 'evidence_not_yours'); END;

-- An activity that requires evidence takes a link or a stored photo.
DROP TRIGGER claims_evidence_required;
CREATE TRIGGER claims_evidence_required
BEFORE INSERT ON claims
WHEN NEW.submitted_role = 'worker' AND NEW.evidence_url IS NULL AND NEW.evidence_id IS NULL
BEGIN
  SELECT RAISE(ABORT, 'evidence_required')
  FROM activity_types t
  WHERE t.code = NEW.activity_code AND t.version = NEW.activity_version AND t.requires_evidence = 1;
END;
