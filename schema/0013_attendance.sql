-- Attendance at an event: check-in and check-out with a rotating code
-- (src/attendance/code.ts), the organizer's corrections and additions
-- (back-filled, 补录), and the confirmation that turns the attendees into
-- the event's claims. No coordinates are taken or stored.
--
-- The per-event secret the codes derive from is not stored: it is derived
-- from the service's signing key and the event id, so a copy of the database
-- cannot show anyone the codes.
--
-- Every table is append-only. One check-in and one check-out per member and
-- event are the primary keys; the triggers re-check the window, the order
-- (no check-out without a check-in) and that a confirmed event is closed.

CREATE TABLE event_attendance (
  event_id   TEXT PRIMARY KEY REFERENCES events (id),
  -- When check-in and check-out are accepted: [opens_at, closes_at).
  opens_at   TEXT NOT NULL,
  closes_at  TEXT NOT NULL,
  opened_by  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT attendance_window_invalid CHECK (closes_at > opens_at)
);
CREATE INDEX event_attendance_window ON event_attendance (closes_at, opens_at);

CREATE TABLE attendance_confirmations (
  event_id     TEXT PRIMARY KEY REFERENCES event_attendance (event_id),
  confirmed_by TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE attendance_check_ins (
  event_id   TEXT NOT NULL REFERENCES event_attendance (event_id),
  member_id  TEXT NOT NULL REFERENCES members (id),
  at         TEXT NOT NULL,
  -- The code's time step (Unix seconds / step length) the member presented.
  step       INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (event_id, member_id)
);

CREATE TABLE attendance_check_outs (
  event_id   TEXT NOT NULL REFERENCES event_attendance (event_id),
  member_id  TEXT NOT NULL REFERENCES members (id),
  at         TEXT NOT NULL,
  step       INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (event_id, member_id)
);

-- The organizer's word on a member's hours (hundredths of an hour), with its
-- reason: a correction of a checked-in member, or an addition of one who
-- could not check in. The latest row counts; the earlier ones stay.
CREATE TABLE attendance_corrections (
  id           TEXT PRIMARY KEY,
  event_id     TEXT NOT NULL REFERENCES event_attendance (event_id),
  member_id    TEXT NOT NULL REFERENCES members (id),
  hours        INTEGER NOT NULL CHECK (hours >= 0),
  reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  corrected_by TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX attendance_corrections_member ON attendance_corrections (event_id, member_id, created_at);

CREATE TRIGGER attendance_check_ins_guard
BEFORE INSERT ON attendance_check_ins
BEGIN
  SELECT RAISE(ABORT, 'attendance_confirmed')
  WHERE EXISTS (SELECT 1 FROM attendance_confirmations WHERE event_id = NEW.event_id);
  SELECT RAISE(ABORT, 'attendance_window_closed')
  WHERE NOT EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = NEW.event_id AND NEW.at >= a.opens_at AND NEW.at < a.closes_at);
END;

CREATE TRIGGER attendance_check_outs_guard
BEFORE INSERT ON attendance_check_outs
BEGIN
  SELECT RAISE(ABORT, 'attendance_confirmed')
  WHERE EXISTS (SELECT 1 FROM attendance_confirmations WHERE event_id = NEW.event_id);
  SELECT RAISE(ABORT, 'attendance_window_closed')
  WHERE NOT EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = NEW.event_id AND NEW.at >= a.opens_at AND NEW.at < a.closes_at);
  SELECT RAISE(ABORT, 'not_checked_in')
  WHERE NOT EXISTS (SELECT 1 FROM attendance_check_ins i WHERE i.event_id = NEW.event_id AND i.member_id = NEW.member_id AND i.at <= NEW.at);
END;

CREATE TRIGGER attendance_corrections_guard
BEFORE INSERT ON attendance_corrections
BEGIN
  SELECT RAISE(ABORT, 'attendance_confirmed')
  WHERE EXISTS (SELECT 1 FROM attendance_confirmations WHERE event_id = NEW.event_id);
END;

CREATE TRIGGER event_attendance_no_update BEFORE UPDATE ON event_attendance BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER event_attendance_no_delete BEFORE DELETE ON event_attendance BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_confirmations_no_update BEFORE UPDATE ON attendance_confirmations BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_confirmations_no_delete BEFORE DELETE ON attendance_confirmations BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_check_ins_no_update BEFORE UPDATE ON attendance_check_ins BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_check_ins_no_delete BEFORE DELETE ON attendance_check_ins BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_check_outs_no_update BEFORE UPDATE ON attendance_check_outs BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_check_outs_no_delete BEFORE DELETE ON attendance_check_outs BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_corrections_no_update BEFORE UPDATE ON attendance_corrections BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER attendance_corrections_no_delete BEFORE DELETE ON attendance_corrections BEGIN SELECT RAISE(ABORT, 'append_only'); END;
