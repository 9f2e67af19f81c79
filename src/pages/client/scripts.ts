import { COMMON_JS } from './common.js';
import { SIGN_IN_JS } from './sign-in.js';
import { WORKER_JS } from './worker.js';
import { MERCHANT_JS } from './merchant.js';
import { ORGANIZER_JS } from './organizer.js';
import { AUDITOR_JS } from './auditor.js';

/** The browser scripts, served as /app/assets/<name>.js. */
export const SCRIPTS = {
  common: COMMON_JS,
  'sign-in': SIGN_IN_JS,
  worker: WORKER_JS,
  merchant: MERCHANT_JS,
  organizer: ORGANIZER_JS,
  auditor: AUDITOR_JS,
} as const;
