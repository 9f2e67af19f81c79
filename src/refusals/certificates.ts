import type { RefusalEntry } from './entry.js';

/** Refusals of service-record certificates: issuing, revoking and looking one up. */
export const CERTIFICATE_REFUSALS = {
  certificate_not_found: {
    status: 404,
    detail: 'No certificate has this number',
    page: { zh: '没有这个编号的证明。请核对证明上的编号。', en: 'There is no certificate with this number. Check the number printed on it.' },
  },
  certificate_no_hours: {
    status: 422,
    detail: 'No service hours were recorded in this period, so there is nothing to certify',
    page: { zh: '这段时间里没有记录的服务时长，无法开具证明。', en: 'No service hours were recorded in this period, so there is nothing to certify.' },
  },
  certificate_period_invalid: {
    status: 400,
    detail: 'The period must end after it starts',
    page: { zh: '证明的截止日期不能早于开始日期。', en: 'The last day of the period cannot come before its first day.' },
  },
  certificate_already_revoked: {
    status: 409,
    detail: 'This certificate is revoked already',
    page: { zh: '这份证明已经作废了。', en: 'This certificate is revoked already.' },
    unique: ['certificate_revocations.number'],
  },
} as const satisfies Record<string, RefusalEntry>;
