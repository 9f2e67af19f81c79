import type { RefusalEntry } from './entry.js';

/** Refusals of claims: submitting, deciding and revoking them, and the activity types they name. */
export const CLAIM_REFUSALS = {
  unknown_member: {
    status: 404,
    detail: 'The member was not found',
    page: { zh: '找不到这个成员编号。', en: 'No member has this number.' },
  },
  unknown_event: { status: 404, detail: 'The event was not found' },
  unknown_activity: {
    status: 404,
    detail: 'The activity type was not found',
    page: { zh: '找不到这个活动类型。', en: 'There is no such activity.' },
  },
  activity_mismatch: { status: 422, detail: 'The event is for another activity' },
  occurred_at_required: { status: 400, detail: 'occurred_at is required without an event' },
  units_required: {
    status: 400,
    detail: 'This activity is counted in hours: give units',
    page: { zh: '请填写时长。', en: 'Enter the hours.' },
  },
  evidence_required: {
    status: 422,
    detail: 'This activity needs evidence: an evidence_url or an evidence_id',
    page: { zh: '这类上报需要附上照片或证据链接。', en: 'This kind of report needs a photo or an evidence link.' },
    schema: { evidence_required: null },
  },
  duplicate_claim: {
    status: 409,
    detail: 'The member already has a claim for this event or report',
    page: { zh: '已经记录过了，同一活动或编号不能重复计分。', en: 'Already recorded: the same event or number earns points once.' },
  },
  already_credited: {
    status: 409,
    detail: 'This member was already credited for this event or report',
    page: { zh: '已经发放过积分，不能重复发放。', en: 'Already credited; it cannot be credited twice.' },
    unique: ['claim_decisions.credit_key_event', 'claim_decisions.credit_key_report'],
  },
  occurred_in_future: {
    status: 422,
    detail: 'A claim cannot be for something that has not happened yet',
    page: { zh: '时间不能晚于现在。', en: 'The time cannot be in the future.' },
    schema: { occurred_in_future: null },
  },
  claim_too_old: {
    status: 422,
    detail: 'This happened longer ago than the programme accepts claims for; an admin can still record it as a back-fill, with a reason',
    page: {
      zh: '这件事发生得太久了，超过了可以申报的天数；如确需补录，请联系管理员。',
      en: 'This happened too long ago to be claimed; ask an admin if it must be back-filled.',
    },
    schema: { claim_too_old: null },
  },
  claim_max_age_invalid: { status: 422, detail: 'The claim does not carry a valid age limit', schema: { claim_max_age_invalid: null } },
  backfill_reason_without_backfill: { status: 400, detail: 'backfill_reason is given only with "backfill": true' },
  backfill_reason_required: { status: 400, detail: 'A back-fill needs a backfill_reason saying why it is recorded late' },
  claims_refused: { status: 422, title: 'Claims refused', detail: 'Some of the claims were refused, so none was recorded' },
  credit_mismatch: { status: 422, detail: 'The credit does not match the claim', schema: { credit_mismatch: null } },
  self_approval: {
    status: 403,
    detail: 'Nobody decides a claim they submitted or that credits themselves; another organizer must',
    page: { zh: '不能审批自己提交的、或发给自己的申请。', en: 'You cannot decide a claim you submitted or one that credits you.' },
    schema: { self_approval: null },
  },
  needs_second_approver: {
    status: 409,
    detail: 'This claim needs the approval of a second organizer',
    page: { zh: '积分较多，需要另一位组织者审批。', en: 'This many points need a second organizer to approve.' },
    schema: { needs_second_approver: null },
  },
  claim_already_decided: {
    status: 409,
    detail: 'The claim was already approved or rejected',
    page: { zh: '这条申请已经有人处理过了。', en: 'Someone has already decided this claim.' },
    schema: { claim_already_decided: null },
  },
  claim_not_approved: { status: 409, detail: 'Only an approved claim can be revoked', schema: { claim_not_approved: null } },
  claim_already_revoked: {
    status: 409,
    detail: 'The claim was already revoked',
    page: { zh: '这条申请已经撤销。', en: 'This claim was already revoked.' },
    schema: { claim_already_revoked: null },
  },
  activity_version_conflict: {
    status: 409,
    detail: 'The activity type was changed concurrently; retry',
    schema: { activity_version_conflict: null },
    unique: ['activity_types.code, activity_types.version'],
  },
} as const satisfies Record<string, RefusalEntry>;

/** The title of a lone claim's refusal (sent alone, it keeps its own code and status) unless the refusal is a not-found. */
export const CLAIM_REFUSED_TITLE = 'Claim refused';
