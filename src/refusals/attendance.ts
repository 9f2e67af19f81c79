import type { RefusalEntry } from './entry.js';

/** Refusals of attendance at an event: opening it, checking in and out with the rotating code, correcting and confirming it. */
export const ATTENDANCE_REFUSALS = {
  attendance_not_open: {
    status: 404,
    detail: 'This event does not take attendance',
    page: { zh: '这个活动没有开启签到。', en: 'This event does not take attendance.' },
  },
  attendance_already_open: {
    status: 409,
    detail: 'This event takes attendance already',
    page: { zh: '这个活动已经开启签到了。', en: 'This event already takes attendance.' },
    unique: ['event_attendance.event_id'],
  },
  attendance_window_required: {
    status: 400,
    detail: 'The event has no end: give closes_at, when attendance closes',
    page: { zh: '活动没有结束时间，请填写签到截止时间。', en: 'The event has no end time: say when attendance closes.' },
  },
  attendance_window_invalid: {
    status: 422,
    detail: 'Attendance must close after it opens',
    page: { zh: '签到截止时间必须晚于开始时间。', en: 'Attendance must close after it opens.' },
    schema: { attendance_window_invalid: null },
  },
  attendance_window_closed: {
    status: 422,
    detail: 'Attendance for this event is not open now',
    page: { zh: '现在不在这个活动的签到时间内。', en: 'This event is not taking check-ins or check-outs right now.' },
    schema: { attendance_window_closed: null },
  },
  attendance_code_unknown: {
    status: 422,
    detail: 'This is not a check-in code of an event taking attendance now',
    page: { zh: '签到码不对，请核对现场屏幕上的签到码再试。', en: 'That code is not right. Check the code on the screen at the event and try again.' },
  },
  attendance_code_stale: {
    status: 422,
    detail: 'This check-in code has expired; the code changes every 30 seconds',
    page: { zh: '签到码已经过期（每30秒更换一次），请扫描现场屏幕上现在的签到码。', en: 'That code has expired (it changes every 30 seconds). Scan the code on the screen now.' },
  },
  attendance_other_event: {
    status: 403,
    detail: "This code is for an event of an org you are not a member of",
    page: { zh: '这是别的组织的活动的签到码，你不能用它签到。', en: "That code is for another organisation's event; you cannot check in with it." },
  },
  already_checked_in: {
    status: 409,
    detail: 'You have checked in at this event already',
    page: { zh: '你已经签到过了，每个活动只能签到一次。', en: 'You have already checked in at this event.' },
    unique: ['attendance_check_ins.event_id, attendance_check_ins.member_id'],
  },
  already_checked_out: {
    status: 409,
    detail: 'You have checked out of this event already',
    page: { zh: '你已经签退过了，每个活动只能签退一次。', en: 'You have already checked out of this event.' },
    unique: ['attendance_check_outs.event_id, attendance_check_outs.member_id'],
  },
  not_checked_in: {
    status: 409,
    detail: 'Check in before checking out',
    page: { zh: '你还没有签到，不能签退。', en: 'You have not checked in, so you cannot check out.' },
    schema: { not_checked_in: null },
  },
  attendance_confirmed: {
    status: 409,
    detail: "This event's attendance is confirmed; it cannot change any more",
    page: { zh: '这个活动的签到已经确认，不能再修改。', en: "This event's attendance has been confirmed and cannot change." },
    schema: { attendance_confirmed: null },
    unique: ['attendance_confirmations.event_id'],
  },
  attendance_unsettled: {
    status: 409,
    detail: 'Some attendees checked in and never out: give their hours before confirming',
    page: { zh: '还有人签到后没有签退，请先为他们填写时长，再确认。', en: 'Some people checked in but never out. Give their hours before confirming.' },
  },
  hours_off_step: {
    status: 422,
    detail: "Hours are counted in the programme's steps",
    page: { zh: '时长要按规定的单位填写（例如0.5小时的整数倍）。', en: "Give hours in the programme's steps (for example, multiples of half an hour)." },
  },
} as const satisfies Record<string, RefusalEntry>;
