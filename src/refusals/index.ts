import { TITLES, type RefusalEntry, type Sentence } from './entry.js';
import { CLAIM_REFUSALS, CLAIM_REFUSED_TITLE } from './claims.js';
import { LEDGER_REFUSALS } from './ledger.js';
import { HTTP_EXCEPTION_CODES, REQUEST_REFUSALS } from './request.js';
import { REWARD_REFUSALS } from './rewards.js';
import { MEMBER_REFUSALS } from './members.js';
import { SIGN_IN_REFUSALS } from './sign-in.js';
import { EVIDENCE_REFUSALS } from './evidence.js';
import { ATTENDANCE_REFUSALS } from './attendance.js';
import { CERTIFICATE_REFUSALS } from './certificates.js';
import { statusTextKey, type StatusTextKey } from './status-text.js';

export type { RefusalEntry, Sentence } from './entry.js';

/**
 * Every refusal the service answers with, by its `code`: the one place a
 * code's status, title, texts and schema words are stated.
 */
export const REFUSALS = { ...REQUEST_REFUSALS, ...LEDGER_REFUSALS, ...CLAIM_REFUSALS, ...REWARD_REFUSALS, ...MEMBER_REFUSALS, ...SIGN_IN_REFUSALS, ...EVIDENCE_REFUSALS, ...ATTENDANCE_REFUSALS, ...CERTIFICATE_REFUSALS } as const;

/** A refusal code. */
export type RefusalCode = keyof typeof REFUSALS;

/** The codes whose status is S (so a helper named for a status takes only its codes). */
export type CodeWithStatus<S extends number> = { [K in RefusalCode]: (typeof REFUSALS)[K]['status'] extends S ? K : never }[RefusalCode];

const entries = REFUSALS as Record<RefusalCode, RefusalEntry>;

/** The catalogue entry of a code. */
export function refusalEntry(code: RefusalCode): RefusalEntry {
  return entries[code];
}

/** The problem title of a code. */
export function refusalTitle(code: RefusalCode): string {
  const entry = entries[code];
  return entry.title ?? TITLES[entry.status] ?? 'Error';
}

/** The title of a claim refused when sent alone (answered with its own code and status): a not-found's, else a refused claim's. */
export function claimRefusalTitle(status: number): string {
  return status === REFUSALS.not_found.status ? refusalTitle('not_found') : CLAIM_REFUSED_TITLE;
}

/** Whether a string is a code of the catalogue. */
export function isRefusalCode(code: string): code is RefusalCode {
  return Object.prototype.hasOwnProperty.call(REFUSALS, code);
}

/** The code of an error Hono raises itself: its validator's malformed JSON by its message, else by its status (none for a 5xx: a fault). */
export function httpExceptionCode(status: number, message: string): RefusalCode | undefined {
  if (/malformed json/i.test(message)) return 'malformed_json';
  // A 4xx the table lacks stays a refusal rather than a 500: the caller sent something this service does not take.
  return (HTTP_EXCEPTION_CODES as Partial<Record<number, RefusalCode>>)[status] ?? (status < 500 ? 'bad_request' : undefined);
}

// Schema words that are not refusals. A chain conflict is rebuilt on the new head; a stale read (a derived total
// that moved underneath the write) is recomputed: both retried, never answered.
/** Words that mean the chain head moved. */
export const CHAIN_WORDS = ['chain_conflict'] as const;
/** Words that mean a derived total the write was computed from changed meanwhile. */
export const STALE_WORDS = ['earning_cap', 'expiry_exceeds_due', 'auto_approval_threshold', 'card_use_conflict', 'member_moved', 'certificate_number_moved'] as const;
/** Words only a bug or tampering can raise: left as errors, so they are logged and answered 500. */
export const BUG_WORDS = ['posting_mismatch', 'transaction_sealed', 'checkpoint_mismatch', 'member_fields_fixed', 'member_change_unrecorded'] as const;

/** What a schema word (a RAISE message or a CHECK constraint name) means: the code and its detail. */
export const SCHEMA_WORDS: ReadonlyMap<string, { code: RefusalCode; detail: string }> = new Map(
  (Object.keys(entries) as RefusalCode[]).flatMap((code) =>
    Object.entries(entries[code].schema ?? {}).map(([word, detail]) => [word, { code, detail: detail ?? entries[code].detail }] as const),
  ),
);

/** UNIQUE constraint columns and the code a violation means. */
export const UNIQUE_COLUMNS: ReadonlyArray<readonly [string, RefusalCode]> = (Object.keys(entries) as RefusalCode[]).flatMap((code) =>
  (entries[code].unique ?? []).map((columns) => [columns, code] as const),
);

/** The pages' sentences for an answer without a code of its own: by status, and when the service cannot be reached. */
export const PAGE_FALLBACKS = {
  network: { zh: '连不上服务，请检查网络后再试。', en: 'The service cannot be reached. Check your connection and try again.' },
  server: { zh: '服务暂时出了问题，请稍后再试。', en: 'Something went wrong on our side. Try again in a moment.' },
  generic: { zh: '操作没有成功（{status}），请稍后再试。', en: 'That did not work ({status}). Try again in a moment.' },
  conflict: { zh: '情况已经变化，请刷新后再试。', en: 'Things have changed meanwhile. Refresh and try again.' },
  refused: { zh: '按规则不能这样操作。', en: 'The rules do not allow this.' },
} as const satisfies Record<string, Sentence>;

// Each text statusTextKey() may choose: the compiler holds the two together.
const STATUS_SENTENCES: Record<StatusTextKey, Sentence> = {
  err_validation_failed: REQUEST_REFUSALS.validation_failed.page,
  err_unauthorized: REQUEST_REFUSALS.unauthorized.page,
  err_forbidden: REQUEST_REFUSALS.forbidden.page,
  err_not_found: REQUEST_REFUSALS.not_found.page,
  err_conflict: PAGE_FALLBACKS.conflict,
  err_refused: PAGE_FALLBACKS.refused,
  err_server: PAGE_FALLBACKS.server,
  err_generic: PAGE_FALLBACKS.generic,
};

/** The sentence the pages show for a status without a code of their own (as the client's explain() chooses, by the same rule). */
function statusSentence(status: number, lang: keyof Sentence): string {
  return STATUS_SENTENCES[statusTextKey(status)][lang].replace('{status}', String(status));
}

/** The sentence a person reads for a code: its own, else its status's. */
export function pageSentence(code: RefusalCode, lang: keyof Sentence): string {
  const entry = entries[code];
  return entry.page?.[lang] ?? statusSentence(entry.status, lang);
}

type PageKeys = `err_${RefusalCode}` | `err_${keyof typeof PAGE_FALLBACKS}`;

/** The pages' `err_*` texts of a language, generated from the catalogue: one per code, and the fallbacks. */
export function pageErrorTexts(lang: keyof Sentence): Record<PageKeys, string> {
  const texts: Record<string, string> = {};
  for (const [name, sentence] of Object.entries(PAGE_FALLBACKS)) texts[`err_${name}`] = sentence[lang];
  for (const code of Object.keys(entries) as RefusalCode[]) texts[`err_${code}`] = pageSentence(code, lang);
  return texts as Record<PageKeys, string>;
}

/** A word of the schema that means a refusal. */
export type SchemaWord = {
  [K in RefusalCode]: (typeof REFUSALS)[K] extends { schema: infer S } ? keyof S & string : never;
}[RefusalCode];
