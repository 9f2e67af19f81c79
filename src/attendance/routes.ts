import { z } from '@hono/zod-openapi';
import { defineRoute, IdParam, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { NonNegativePoints } from '../ledger/amount.js';
import { EventWithClaims } from '../events/schemas.js';
import { attendanceList, checkInOrOut, confirmAttendance, correctHours, currentCode, openAttendance } from './attendance.js';
import { ATTENDANCE_CODE } from './code.js';

const Instant = z.iso.datetime({ offset: true });

const AttendanceWindow = z
  .object({
    event_id: z.string(),
    opens_at: z.string().openapi({ description: 'Check-ins and check-outs are accepted from this instant…' }),
    closes_at: z.string().openapi({ description: '…until this one (excluded)' }),
    opened_by: z.string(),
    created_at: z.string(),
  })
  .openapi('AttendanceWindow');

const AttendanceCode = z
  .object({
    event_id: z.string(),
    code: z.string().openapi({ description: `${ATTENDANCE_CODE.length} characters of ${ATTENDANCE_CODE.alphabet}; changes every ${ATTENDANCE_CODE.stepSeconds} s`, example: 'K7QM2X' }),
    qr_svg: z.string().openapi({ description: 'The code as an SVG QR code (it encodes the same characters)' }),
    step_ends_at: z.string().openapi({ description: 'When the next code replaces this one' }),
    accepted_until: z.string().openapi({ description: `When this code stops being accepted (${ATTENDANCE_CODE.toleranceSteps} step later)` }),
  })
  .openapi('AttendanceCode');

const AttendanceRecord = z
  .object({
    event_id: z.string(),
    event_title: z.string(),
    member_id: z.string(),
    checked_in_at: z.string().nullable(),
    checked_out_at: z.string().nullable(),
    hours: z.string().nullable().openapi({ description: 'Hours from check-in to check-out, clipped to the event and rounded down to the step; null until checked out' }),
  })
  .openapi('AttendanceRecord');

const Attendee = z
  .object({
    member_id: z.string(),
    member_no: z.string(),
    display_name: z.string().nullable(),
    checked_in_at: z.string().nullable(),
    checked_out_at: z.string().nullable(),
    measured_hours: z.string().nullable().openapi({ description: 'From the check-in and check-out; null until checked out' }),
    hours: z.string().nullable().openapi({ description: "The hours that count: the latest correction's, else the measured; null while unsettled" }),
    source: z.enum(['checked_in', 'back_filled']).openapi({ description: 'back_filled (补录): the hours are an organizer\'s correction or addition' }),
    corrections: z.array(z.object({ hours: z.string(), reason: z.string(), corrected_by: z.string(), created_at: z.string() })),
  })
  .openapi('Attendee');

const AttendanceList = z
  .object({
    event: z.object({ id: z.string(), org_id: z.string(), title: z.string(), activity_code: z.string(), starts_at: z.string(), ends_at: z.string().nullable() }),
    window: AttendanceWindow,
    hours_step: z.string(),
    confirmed: z.object({ confirmed_by: z.string(), created_at: z.string() }).nullable(),
    attendees: z.array(Attendee),
  })
  .openapi('AttendanceList');

const CodeInput = z.object({ code: z.string().trim().min(1).max(40).openapi({ description: 'The code typed, or scanned from the QR code', example: 'K7QM2X' }) }).strict();

const MemberParam = IdParam.extend({
  member_id: z.string().min(1).max(200).openapi({ param: { name: 'member_id', in: 'path' }, description: 'The member id or member number' }),
});

const openRoute = defineRoute({
  method: 'post',
  path: '/v1/events/{id}/attendance',
  operationId: 'openAttendance',
  tags: ['Organizer'],
  summary: 'Open an event to attendance (check-in and check-out with a rotating code)',
  description: "The window defaults to the event's start and end; an event without an end needs `closes_at`. Opened once.",
  roles: ['admin', 'organizer'],
  request: {
    params: IdParam,
    body: jsonBody(z.object({ opens_at: Instant.optional(), closes_at: Instant.optional() }).strict()),
  },
  responses: { 201: jsonResponse(AttendanceWindow, 'The attendance window'), ...problemResponses },
});

const codeRoute = defineRoute({
  method: 'get',
  path: '/v1/events/{id}/attendance/code',
  operationId: 'getAttendanceCode',
  tags: ['Organizer'],
  summary: 'The check-in and check-out code to show now',
  description: `Derived like a one-time password from the event's secret and the ${ATTENDANCE_CODE.stepSeconds}-second step; the previous step's code is still accepted. Only while the window is open.`,
  roles: ['admin', 'organizer'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(AttendanceCode, 'The current code'), ...problemResponses },
});

const checkRoute = (purpose: 'in' | 'out') =>
  defineRoute({
    method: 'post',
    path: purpose === 'in' ? '/v1/me/check-ins' : '/v1/me/check-outs',
    operationId: purpose === 'in' ? 'checkIn' : 'checkOut',
    tags: ['Worker'],
    summary: purpose === 'in' ? 'Check in at an event with the code on its screen' : 'Check out of an event with the code on its screen',
    description:
      'The code names its event: it is looked up among the events taking attendance now, of the orgs the member belongs to. One check-in and one check-out per member and event. No location is taken.',
    roles: ['worker'],
    request: { body: jsonBody(CodeInput) },
    responses: { 201: jsonResponse(AttendanceRecord, 'The attendance record'), ...problemResponses },
  });

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/events/{id}/attendance',
  operationId: 'listAttendance',
  tags: ['Organizer'],
  summary: 'The attendance list: names, member numbers, times, hours and where they come from',
  roles: ['admin', 'auditor', 'organizer'],
  request: { params: IdParam },
  responses: { 200: jsonResponse(AttendanceList, 'The attendance list'), ...problemResponses },
});

const correctRoute = defineRoute({
  method: 'patch',
  path: '/v1/events/{id}/attendance/{member_id}',
  operationId: 'correctAttendance',
  tags: ['Organizer'],
  summary: "Correct an attendee's hours, or add someone who could not check in, with a reason (marked back-filled, 补录)",
  description: 'Every correction is kept; the latest counts. Hours in the programme step (JIFEN_HOURS_STEP). Not after confirmation.',
  roles: ['admin', 'organizer'],
  request: {
    params: MemberParam,
    body: jsonBody(z.object({ hours: NonNegativePoints.openapi({ description: 'Hours, e.g. "2.5"' }), reason: z.string().trim().min(1).max(500) }).strict()),
  },
  responses: { 200: jsonResponse(Attendee, 'The attendee after the correction'), ...problemResponses },
});

const confirmRoute = defineRoute({
  method: 'post',
  path: '/v1/events/{id}/attendance/confirm',
  operationId: 'confirmAttendance',
  tags: ['Organizer'],
  summary: "Confirm attendance: the attendees become the event's claims, as a roster's do",
  description:
    'Priced, capped, budgeted and maker-checked as a roster is, in one atomic write with the confirmation. Refused while someone checked in and never out without a correction. Confirming again answers the claims (200) and changes nothing.',
  roles: ['admin', 'organizer'],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(EventWithClaims, 'Confirmed before: the event and its claims'),
    201: jsonResponse(EventWithClaims, 'The event, its claims and the crediting transaction'),
    ...problemResponses,
  },
});

/** Attendance routes: opening, the rotating code, check-in and check-out, the list, corrections, confirmation. */
export function attendanceRoutes() {
  return newRouter()
    .openapi(openRoute, async (c) => {
      const body = c.req.valid('json');
      return c.json(await openAttendance(c.get('deps'), c.get('caller'), { eventId: c.req.valid('param').id, ...body }, c.get('idempotency')), 201);
    })
    .openapi(codeRoute, async (c) => c.json(await currentCode(c.get('deps'), c.get('caller'), c.req.valid('param').id), 200))
    .openapi(checkRoute('in'), async (c) => c.json(await checkInOrOut(c.get('deps'), c.get('caller'), 'in', c.req.valid('json').code, c.get('idempotency')), 201))
    .openapi(checkRoute('out'), async (c) => c.json(await checkInOrOut(c.get('deps'), c.get('caller'), 'out', c.req.valid('json').code, c.get('idempotency')), 201))
    .openapi(listRoute, async (c) => c.json(await attendanceList(c.get('deps'), c.get('caller'), c.req.valid('param').id), 200))
    .openapi(correctRoute, async (c) => {
      const { id, member_id } = c.req.valid('param');
      const { hours, reason } = c.req.valid('json');
      return c.json(await correctHours(c.get('deps'), c.get('caller'), { eventId: id, member: member_id, hours, reason }, c.get('idempotency')), 200);
    })
    .openapi(confirmRoute, async (c) => {
      const { status, body } = await confirmAttendance(c.get('deps'), c.get('caller'), c.req.valid('param').id, c.get('idempotency'));
      return status === 201 ? c.json(body as z.infer<typeof EventWithClaims>, 201) : c.json(body as z.infer<typeof EventWithClaims>, 200);
    });
}
