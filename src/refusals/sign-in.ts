import type { RefusalEntry } from './entry.js';

/** Refusals of enrolment: one-time sign-in codes and the sessions they give. */
export const SIGN_IN_REFUSALS = {
  sign_in_code_unknown: {
    status: 404,
    detail: 'This sign-in code was not found; check it, or ask for a new one',
    page: {
      zh: '这个登录码不对。请核对后再试，或请组织者给您一张新的登录卡。',
      en: 'This sign-in code is not right. Check it, or ask your organizer for a new sign-in card.',
    },
    schema: { sign_in_code_unknown: null },
  },
  sign_in_code_used: {
    status: 409,
    detail: 'This sign-in code was already used; each code signs in one phone once',
    page: {
      zh: '这张登录卡已经用过了，每张卡只能登录一次。如果不是您本人用的，请马上告诉组织者，并请他给您一张新卡。',
      en: 'This sign-in card was already used; each card signs in once. If it was not you, tell your organizer now and ask for a new card.',
    },
    schema: { sign_in_code_used: null },
    unique: ['sign_in_code_uses.code_id'],
  },
  sign_in_code_expired: {
    status: 410,
    detail: 'This sign-in code has expired; ask for a new one',
    page: { zh: '这张登录卡已经过期了，请组织者给您一张新卡。', en: 'This sign-in card has expired. Ask your organizer for a new one.' },
    schema: { sign_in_code_expired: null },
  },
  sign_in_code_revoked: {
    status: 410,
    detail: 'This sign-in code was revoked; ask for a new one',
    page: { zh: '这张登录卡已经作废，请组织者给您一张新卡。', en: 'This sign-in card was cancelled. Ask your organizer for a new one.' },
    schema: { sign_in_code_revoked: null },
  },
  sign_in_code_already_revoked: {
    status: 409,
    detail: 'This sign-in code was already revoked',
    page: { zh: '这张登录卡已经作废过了。', en: 'This sign-in card was already cancelled.' },
    unique: ['sign_in_code_revocations.code_id'],
  },
  session_ended: {
    status: 401,
    detail: 'This sign-in has ended (its card was revoked or the member is no longer enrolled); sign in again with a new card',
    page: {
      zh: '这次登录已经结束（登录卡已作废）。请组织者给您一张新的登录卡。',
      en: 'This sign-in has ended (its card was cancelled). Ask your organizer for a new sign-in card.',
    },
  },
} as const satisfies Record<string, RefusalEntry>;
