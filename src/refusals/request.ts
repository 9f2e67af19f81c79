import type { RefusalEntry } from './entry.js';

/** Refusals of the request itself: its shape, credentials, role and size; and the service's own faults. */
export const REQUEST_REFUSALS = {
  validation_failed: {
    status: 400,
    detail: 'The request is not valid',
    page: { zh: '有内容没有填对，请检查后再试。', en: 'Something is not filled in correctly. Check and try again.' },
  },
  bad_request: { status: 400, detail: 'The request cannot be understood' },
  malformed_json: { status: 400, detail: 'The body is not valid JSON' },
  invalid_text: {
    status: 400,
    detail: 'Text must be plain Unicode characters: no broken characters, no control characters but tab and line breaks',
    page: {
      zh: '文字里有无法保存的字符（例如乱码或控制字符），请删掉后再试。',
      en: 'The text has characters that cannot be stored (broken or control characters); remove them and try again.',
    },
  },
  invalid_idempotency_key: { status: 400, detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
  invalid_cursor: { status: 400, detail: 'cursor must be a next_cursor from a previous page' },
  forbidden_filter: { status: 400, detail: 'This filter is not open to your role' },
  unauthorized: {
    status: 401,
    detail: 'Send a bearer token: Authorization: Bearer <JWT>',
    page: { zh: '登录已失效，请重新打开您的登录链接。', en: 'Your sign-in is no longer valid. Open your sign-in link again.' },
  },
  forbidden: {
    status: 403,
    detail: 'This is not allowed for your role or scope',
    page: { zh: '您的账号不能进行这个操作。', en: 'Your account is not allowed to do this.' },
    schema: {
      backfill_admin_only: 'Only an admin can record an old claim as a back-fill',
      outside_scope: 'The member or the org is outside your scope',
    },
  },
  not_found: {
    status: 404,
    detail: 'It was not found',
    page: { zh: '没有找到，请检查输入的编号是否正确。', en: 'Not found. Check the number or code you entered.' },
    schema: {
      unknown_account: 'An account named in the postings was not found',
      unknown_hold: 'The hold was not found',
      invalid_code: 'The redeem code was not found',
      unknown_card: 'The discount card was not found',
    },
  },
  method_not_allowed: {
    status: 405,
    detail: 'This method is not allowed here',
    page: { zh: '这个地址不支持这种操作。', en: 'This address does not allow that.' },
  },
  idempotency_key_reused: {
    status: 409,
    detail: 'This Idempotency-Key was already used with a different request',
    page: { zh: '这个操作刚刚提交过，请刷新页面查看结果。', en: 'This was just sent. Refresh the page to see the result.' },
  },
  payload_too_large: {
    status: 413,
    detail: 'The request body is too large',
    page: { zh: '内容太多了，请分几次提交。', en: 'That is too much at once. Send it in parts.' },
  },
  unsupported_media_type: {
    status: 415,
    detail: 'Send the body as application/json',
    page: { zh: '提交的内容格式不对，请刷新页面后再试。', en: 'That was sent in a form the service does not take. Refresh the page and try again.' },
  },
  unknown_reference: { status: 422, detail: 'The request refers to something that does not exist' },
  internal_error: { status: 500, detail: 'Something went wrong on our side; it has been logged' },
  busy: { status: 503, detail: 'Concurrent credits to this member; retry shortly' },
  chain_busy: { status: 503, detail: 'Too many concurrent writes; retry shortly' },
  storage_unavailable: { status: 503, detail: 'The database is busy or unavailable; retry shortly' },
  misconfigured: { status: 503, detail: 'The service is not configured correctly; see its logs' },
} as const satisfies Record<string, RefusalEntry>;

/**
 * The code an error Hono raises itself (an HTTPException: its validator, its middleware, @hono/zod-openapi's
 * media-type gate) is answered with, by its status. Another 4xx is answered as bad_request; a 5xx is a fault.
 */
export const HTTP_EXCEPTION_CODES = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
} as const satisfies Partial<Record<number, keyof typeof REQUEST_REFUSALS>>;
