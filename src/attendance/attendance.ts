import { sql } from 'kysely';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import type { Database, Db } from '../db/types.js';
import { inJson } from '../db/dialect.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { AppError, notFound, refuse } from '../errors.js';
import { newId } from '../ids.js';
import { formatPoints } from '../ledger/amount.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { resolveMember } from '../members/members.js';
import { memberNumberText } from '../members/member-number.js';
import { currentActivityType } from '../activities/activity-types.js';
import { requireCreditScope } from '../claims/claim-rules.js';
import { claimView, loadClaims } from '../claims/claim-reads.js';
import { recordClaims } from '../claims/record.js';
import { findEvent, claimIdsOfEvent } from '../events/event-reads.js';
import { codeQrSvg } from '../rewards/code-qr.js';
import { ATTENDANCE_CODE, codeOfStep, eventSecret, matchCode, normalizeAttendanceCode, stepEndsAt, stepOf } from './code.js';
import { measuredHours } from './hours.js';

type EventRow = Database['events'];
type WindowRow = Database['event_attendance'];

/** Where an attendee's hours come from: the check-in and check-out, or the organizer's word (补录, back-filled). */
export type HoursSource = 'checked_in' | 'back_filled';

/** One attendee as the organizer's list shows them. */
export interface AttendeeView {
  member_id: string;
  member_no: string;
  display_name: string | null;
  checked_in_at: string | null;
  checked_out_at: string | null;
  /** Hours from the check-in and check-out (clipped and rounded down), null until checked out. */
  measured_hours: string | null;
  /** The hours that count: the latest correction's, else the measured ones; null while unsettled. */
  hours: string | null;
  source: HoursSource;
  corrections: Array<{ hours: string; reason: string; corrected_by: string; created_at: string }>;
}

/** The window attendance is taken in, and the window hours count in (the event's, else the attendance's). */
function windows(event: EventRow, window: WindowRow) {
  return { takes: { from: window.opens_at, to: window.closes_at }, counts: { from: event.starts_at, to: event.ends_at ?? window.closes_at } };
}

function windowView(window: WindowRow) {
  return { event_id: window.event_id, opens_at: window.opens_at, closes_at: window.closes_at, opened_by: window.opened_by, created_at: window.created_at };
}

/** The event, for someone who may manage it (an admin, an organizer of its subtree; auditors read). */
async function eventInScope(db: Db, caller: Caller, eventId: string): Promise<EventRow> {
  const event = await findEvent(db, eventId);
  if (!event) throw notFound(`Event ${eventId}`);
  if (caller.role === 'organizer') await requireOrgScope(db, caller, event.org_id);
  return event;
}

async function attendanceOf(db: Db, eventId: string) {
  const window = await db.selectFrom('event_attendance').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  if (!window) throw refuse('attendance_not_open');
  const confirmation = await db.selectFrom('attendance_confirmations').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  return { window, confirmation };
}

/** Opens an event to attendance: in [opens_at, closes_at), by default the event's own start and end. */
export async function openAttendance(
  deps: AppDeps,
  caller: Caller,
  input: { eventId: string; opens_at?: string | undefined; closes_at?: string | undefined },
  idempotency: IdempotencyScope | undefined,
) {
  const event = await eventInScope(deps.db, caller, input.eventId);
  const opens = input.opens_at ?? event.starts_at;
  const closes = input.closes_at ?? event.ends_at;
  if (!closes) throw refuse('attendance_window_required');
  const row: WindowRow = {
    event_id: event.id,
    opens_at: new Date(opens).toISOString(),
    closes_at: new Date(closes).toISOString(),
    opened_by: callerKey(caller),
    created_at: deps.clock().toISOString(),
  };
  if (row.closes_at <= row.opens_at) throw refuse('attendance_window_invalid');
  const statement = deps.db.insertInto('event_attendance').values(row).compile();
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 201, windowView);
}

/** The code to show now (with its QR and when it changes), while attendance is open. */
export async function currentCode(deps: AppDeps, caller: Caller, eventId: string) {
  const event = await eventInScope(deps.db, caller, eventId);
  const { window, confirmation } = await attendanceOf(deps.db, event.id);
  if (confirmation) throw refuse('attendance_confirmed');
  const now = deps.clock();
  const at = now.toISOString();
  if (at < window.opens_at || at >= window.closes_at) throw refuse('attendance_window_closed');
  const step = stepOf(now);
  const code = await codeOfStep(await eventSecret(deps.attendanceKey, event.id), step);
  return {
    event_id: event.id,
    code,
    qr_svg: codeQrSvg(code),
    step_ends_at: stepEndsAt(step).toISOString(),
    accepted_until: stepEndsAt(step + ATTENDANCE_CODE.toleranceSteps).toISOString(),
  };
}

interface Candidate {
  event_id: string;
  title: string;
  org_path: string;
  opens_at: string;
  closes_at: string;
  confirmed: number;
}

/**
 * The event a typed or scanned code belongs to, for this member now: looked
 * up among the events taking attendance (or that closed within the stale
 * look-back), by computing their recent codes. Refuses a code of an event
 * outside the member's orgs, a stale step, a closed window, a confirmed event.
 */
async function eventOfCode(deps: AppDeps, memberId: string, typed: string, now: Date) {
  const code = normalizeAttendanceCode(typed);
  const alphabet = new RegExp(`^[${ATTENDANCE_CODE.alphabet}]{${ATTENDANCE_CODE.length}}$`);
  if (!alphabet.test(code)) throw refuse('attendance_code_unknown');
  const lookBack = new Date(now.getTime() - (ATTENDANCE_CODE.staleSteps + 1) * ATTENDANCE_CODE.stepSeconds * 1000).toISOString();
  const { rows } = await sql<Candidate>`
    SELECT a.event_id, e.title, o.path AS org_path, a.opens_at, a.closes_at,
           EXISTS (SELECT 1 FROM attendance_confirmations c WHERE c.event_id = a.event_id) AS confirmed
    FROM event_attendance a JOIN events e ON e.id = a.event_id JOIN orgs o ON o.id = e.org_id
    WHERE a.closes_at > ${lookBack} AND a.opens_at <= ${now.toISOString()}`.execute(deps.db);
  const { rows: homes } = await sql<{ path: string }>`
    SELECT o.path FROM members m JOIN orgs o ON o.id = m.home_org_id WHERE m.id = ${memberId}`.execute(deps.db);
  const home = homes[0]?.path ?? '';
  const current: Array<Candidate & { step: number }> = [];
  let stale = false;
  for (const candidate of rows) {
    const match = await matchCode(await eventSecret(deps.attendanceKey, candidate.event_id), code, now);
    if (match?.kind === 'current') current.push({ ...candidate, step: match.step });
    if (match?.kind === 'stale') stale = true;
  }
  if (current.length === 0) throw refuse(stale ? 'attendance_code_stale' : 'attendance_code_unknown');
  // An event is attended by the members of its org's subtree (whom its organizers credit).
  const own = current.filter((c) => home.startsWith(c.org_path));
  if (own.length === 0) throw refuse('attendance_other_event');
  // Two events sharing a code in the same step (about one in a billion): the next code tells them apart.
  if (own.length > 1) throw refuse('attendance_code_unknown');
  const event = own[0]!;
  if (event.confirmed) throw refuse('attendance_confirmed');
  const at = now.toISOString();
  if (at < event.opens_at || at >= event.closes_at) throw refuse('attendance_window_closed');
  return event;
}

/** Records the calling worker's check-in or check-out with the code on the organizer's screen. */
export async function checkInOrOut(deps: AppDeps, caller: Caller, purpose: 'in' | 'out', typed: string, idempotency: IdempotencyScope | undefined) {
  const { db, clock, programme } = deps;
  const memberId = caller.member_id!;
  const now = clock();
  const event = await eventOfCode(deps, memberId, typed, now);
  const full = (await findEvent(db, event.event_id))!;
  const window = (await db.selectFrom('event_attendance').selectAll().where('event_id', '=', event.event_id).executeTakeFirst())!;
  const checkIn = await db.selectFrom('attendance_check_ins').select('at').where('event_id', '=', event.event_id).where('member_id', '=', memberId).executeTakeFirst();
  const row = { event_id: event.event_id, member_id: memberId, at: now.toISOString(), step: event.step, created_at: now.toISOString() };
  // One check-in and one check-out per member and event: the primary keys; the order and the window: the triggers.
  const statement = db.insertInto(purpose === 'in' ? 'attendance_check_ins' : 'attendance_check_outs').values(row).compile();
  const checkedInAt = purpose === 'in' ? row.at : checkIn?.at ?? null;
  const hours = purpose === 'out' && checkedInAt ? measuredHours(checkedInAt, row.at, windows(full, window).counts, programme.hoursStep) : null;
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 201, (r) => ({
    event_id: r.event_id,
    event_title: event.title,
    member_id: r.member_id,
    checked_in_at: checkedInAt,
    checked_out_at: purpose === 'out' ? r.at : null,
    hours: hours === null ? null : formatPoints(hours),
  }));
}

/** Every attendee of an event: who checked in, who the organizer added, their times, hours and corrections. */
async function attendees(deps: AppDeps, event: EventRow, window: WindowRow): Promise<Array<AttendeeView & { hundredths: number | null }>> {
  const { db, programme } = deps;
  const ins = await db.selectFrom('attendance_check_ins').selectAll().where('event_id', '=', event.id).orderBy('at').orderBy('member_id').execute();
  const outs = new Map((await db.selectFrom('attendance_check_outs').selectAll().where('event_id', '=', event.id).execute()).map((o) => [o.member_id, o]));
  const corrections = await db.selectFrom('attendance_corrections').selectAll().where('event_id', '=', event.id).orderBy('created_at').orderBy('id').execute();
  const ids = [...new Set([...ins.map((i) => i.member_id), ...corrections.map((c) => c.member_id)])];
  const members = new Map(
    (await db.selectFrom('members').select(['id', 'member_no', 'display_name']).where('id', 'in', inJson(db, ids)).execute()).map((m) => [m.id, m]),
  );
  const inOf = new Map(ins.map((i) => [i.member_id, i]));
  const counts = windows(event, window).counts;
  return ids.map((id) => {
    const checkIn = inOf.get(id);
    const checkOut = outs.get(id);
    const mine = corrections.filter((c) => c.member_id === id);
    const measured = checkIn && checkOut ? measuredHours(checkIn.at, checkOut.at, counts, programme.hoursStep) : null;
    const latest = mine.at(-1);
    const hundredths = latest ? latest.hours : measured;
    const member = members.get(id);
    return {
      member_id: id,
      member_no: member ? memberNumberText(member.member_no) : '',
      display_name: member?.display_name ?? null,
      checked_in_at: checkIn?.at ?? null,
      checked_out_at: checkOut?.at ?? null,
      measured_hours: measured === null ? null : formatPoints(measured),
      hours: hundredths === null ? null : formatPoints(hundredths),
      source: mine.length > 0 ? 'back_filled' : 'checked_in',
      corrections: mine.map((c) => ({ hours: formatPoints(c.hours), reason: c.reason, corrected_by: c.corrected_by, created_at: c.created_at })),
      hundredths,
    };
  });
}

function listView(event: EventRow, window: WindowRow, confirmation: Database['attendance_confirmations'] | undefined, list: Array<AttendeeView & { hundredths: number | null }>, step: number) {
  return {
    event: { id: event.id, org_id: event.org_id, title: event.title, activity_code: event.activity_code, starts_at: event.starts_at, ends_at: event.ends_at },
    window: windowView(window),
    hours_step: formatPoints(step),
    confirmed: confirmation ? { confirmed_by: confirmation.confirmed_by, created_at: confirmation.created_at } : null,
    attendees: list.map(({ hundredths: _, ...view }) => view),
  };
}

/** The attendance list of an event, for its organizers, admins and auditors. */
export async function attendanceList(deps: AppDeps, caller: Caller, eventId: string) {
  const event = await eventInScope(deps.db, caller, eventId);
  const { window, confirmation } = await attendanceOf(deps.db, event.id);
  return listView(event, window, confirmation, await attendees(deps, event, window), deps.programme.hoursStep);
}

/**
 * The organizer's word on a member's hours, with a reason: a correction of an
 * attendee, or an addition of one who could not check in. Kept (append-only)
 * and marked back-filled (补录).
 */
export async function correctHours(
  deps: AppDeps,
  caller: Caller,
  input: { eventId: string; member: string; hours: number; reason: string },
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock, programme } = deps;
  const event = await eventInScope(db, caller, input.eventId);
  const { window, confirmation } = await attendanceOf(db, event.id);
  const member = await resolveMember(db, input.member);
  await requireCreditScope(db, caller, { member_id: member.id, org_id: event.org_id });
  if (input.hours % programme.hoursStep !== 0) throw refuse('hours_off_step', `Hours are counted in steps of ${formatPoints(programme.hoursStep)} h`);
  // Also the schema's guard.
  if (confirmation) throw refuse('attendance_confirmed');
  const now = clock().toISOString();
  const row = { id: newId('atc'), event_id: event.id, member_id: member.id, hours: input.hours, reason: input.reason, corrected_by: callerKey(caller), created_at: now };
  const before = (await attendees(deps, event, window)).find((a) => a.member_id === member.id);
  const statement = db.insertInto('attendance_corrections').values(row).compile();
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 200, (r) => ({
    member_id: member.id,
    member_no: memberNumberText(member.member_no),
    display_name: member.display_name,
    checked_in_at: before?.checked_in_at ?? null,
    checked_out_at: before?.checked_out_at ?? null,
    measured_hours: before?.measured_hours ?? null,
    hours: formatPoints(r.hours),
    source: 'back_filled' as const,
    corrections: [...(before?.corrections ?? []), { hours: formatPoints(r.hours), reason: r.reason, corrected_by: r.corrected_by, created_at: r.created_at }],
  }));
}

/**
 * Confirms an event's attendance: every attendee with hours becomes a claim of
 * the event, recorded exactly as a roster is (priced, capped, budgeted,
 * maker-checked), with the confirmation in the same atomic write. Confirming
 * again answers the event's claims and writes nothing.
 */
export async function confirmAttendance(deps: AppDeps, caller: Caller, eventId: string, idempotency: IdempotencyScope | undefined) {
  const { db } = deps;
  const event = await eventInScope(db, caller, eventId);
  const { window, confirmation } = await attendanceOf(db, event.id);
  if (confirmation) {
    // In the order the first answer gave them: the attendance list's.
    const order = new Map((await attendees(deps, event, window)).map((a, i) => [a.member_id, i]));
    const claims = (await loadClaims(db, await claimIdsOfEvent(db, event.id)))
      .map(claimView)
      .sort((a, b) => (order.get(a.member_id) ?? order.size) - (order.get(b.member_id) ?? order.size));
    return { status: 200 as const, body: { event, claims, refused: [], transaction: null } };
  }
  const list = await attendees(deps, event, window);
  const unsettled = list.filter((a) => a.hundredths === null);
  if (unsettled.length > 0) {
    throw refuse('attendance_unsettled', `${unsettled.length} attendee(s) checked in and never out: give their hours before confirming`, {
      errors: unsettled.map((a) => ({ path: `attendees.${a.member_no}`, message: 'checked in, never out' })),
    });
  }
  const type = await currentActivityType(db, event.activity_code);
  const byHour = type?.unit === 'hour';
  const requests = list.filter((a) => (a.hundredths ?? 0) > 0).map((a) => ({ member_id: a.member_id, event_id: event.id, ...(byHour ? { units: a.hundredths! } : {}) }));
  const row = { event_id: event.id, confirmed_by: callerKey(caller), created_at: deps.clock().toISOString() };
  let body;
  try {
    body = await recordClaims(
      deps,
      caller,
      {
        requests,
        events: new Map([[event.id, event]]),
        ofEvent: event,
        also: [db.insertInto('attendance_confirmations').values(row).compile()],
        atomic: true,
        single: false,
      },
      (recorded) => ({ event, ...recorded }),
      idempotency,
    );
  } catch (error) {
    // A confirmation that raced this one and committed first refuses this one's claims (they are its
    // claims now), in whatever guard's words the database met first: it is answered as a repeat is.
    if (error instanceof AppError && (await attendanceOf(db, event.id)).confirmation) return confirmAttendance(deps, caller, eventId, idempotency);
    throw error;
  }
  return { status: 201 as const, body };
}
