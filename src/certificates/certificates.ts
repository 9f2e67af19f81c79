import { sql } from 'kysely';
import { compactVerify, importJWK } from 'jose';
import type { AppDeps } from '../deps.js';
import type { Database, Db } from '../db/types.js';
import { jsonTexts } from '../db/dialect.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { ServiceSigner } from '../auth/signing.js';
import { badRequest, forbidden, refuse } from '../errors.js';
import { commitFresh, commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { idCursor, pageOf } from '../db/page-cursor.js';
import { lastSeq } from '../ledger/read.js';
import { countedClaimsOf, formatHours, memberHours } from '../hours/hours.js';
import { orgWithin, withinPath, requireOrgScope } from '../orgs/orgs.js';
import { addDays, dayOf, startOfLocalDay } from '../ledger/programme-time.js';
import { HOURS_REVOKED_REASON } from './hours-revoked.js';

export { HOURS_REVOKED_REASON };

/** The JWS `typ` of a certificate. */
export const CERTIFICATE_TYPE = 'jifen-certificate+jwt';

/** What a certificate certifies: exactly what is signed and shown on the public page. */
export interface CertificateContent {
  iss: 'jifen';
  number: string;
  issuing_org: { id: string; name: string };
  member: { member_no: number | null; name: string | null };
  /** [from, to) as instants, and the programme days it covers (first and last, inclusive). */
  period: { from: string; to: string; first_day?: string; last_day?: string };
  hours_by_activity: Array<{ activity_code: string; name_zh: string; name_en: string; hours: string }>;
  total_hours: string;
  level: number;
  issued_at: string;
  ledger_seq: number;
}

/** The public address of a certificate's verification page. */
export const certificateUrl = (number: string) => `/verify/certificates/${encodeURIComponent(number)}`;

/** A number from the org's register: the org's id and its place in the register. */
const numberOf = (orgId: string, seq: number) => `${orgId}-${String(seq).padStart(6, '0')}`;

/** A certificate's place in its org's register as printed for people (`…-000012` → `000012`). */
export const registerNumber = (number: string) => /-(\d+)$/.exec(number)?.[1] ?? number;

const PROGRAMME_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A requested period as instants [from, to): an instant is taken as given; a
 * programme day (`YYYY-MM-DD`) starts at its local midnight (JIFEN_UTC_OFFSET)
 * when it is `from`, and is included whole when it is `to`.
 */
export function certificatePeriod(period: { from: string; to: string }, utcOffsetMinutes: number): { from: string; to: string } {
  const at = (value: string, end: boolean) =>
    PROGRAMME_DAY.test(value) ? startOfLocalDay(end ? addDays(value, 1) : value, utcOffsetMinutes) : new Date(value).toISOString();
  return { from: at(period.from, false), to: at(period.to, true) };
}

/** The programme days [from, to) covers: its first, and its last (the day holding the instant before `to`). */
export function periodDays(period: { from: string; to: string }, utcOffsetMinutes: number): { first_day: string; last_day: string } {
  return { first_day: dayOf(period.from, utcOffsetMinutes), last_day: dayOf(new Date(Date.parse(period.to) - 1), utcOffsetMinutes) };
}

/** A certificate's period with its programme days: as signed, or (issued before they were signed in) computed. */
export function certifiedPeriod(content: CertificateContent, utcOffsetMinutes: number) {
  return { ...periodDays(content.period, utcOffsetMinutes), ...content.period } as Required<CertificateContent['period']>;
}

/**
 * Issues the calling worker's certificates for [from, to): one per org that
 * recorded hours in the period. Each number is the org's next one, named
 * before the write (it is signed in) and admitted only by the schema's
 * trigger; a concurrent issue moves it, and the write is rebuilt.
 */
export async function issueCertificates(deps: AppDeps, caller: Caller, period: { from: string; to: string }, idempotency: IdempotencyScope | undefined) {
  const memberId = caller.member_id;
  if (!memberId) throw forbidden('Certificates are issued to a member');
  const { db, signer, programme, clock } = deps;
  const { from, to } = certificatePeriod(period, programme.utcOffsetMinutes);
  if (to <= from) throw badRequest('certificate_period_invalid');
  return commitFresh(
    deps,
    idempotency,
    async () => {
      const now = clock();
      const seq = await lastSeq(db);
      const claims = await countedClaimsOf(db, memberId, { from, to });
      if (claims.length === 0) throw refuse('certificate_no_hours');
      const record = await memberHours(db, memberId, {}, programme, now);
      const member = (await db.selectFrom('members').select(['member_no', 'display_name']).where('id', '=', memberId).executeTakeFirst())!;
      const orgIds = [...new Set(claims.map((c) => c.org_id))];
      const rows: Array<Database['certificates']> = [];
      for (const orgId of orgIds) {
        const mine = claims.filter((c) => c.org_id === orgId);
        const next = await db.selectFrom('certificates').select(sql<number>`coalesce(max(org_seq), 0) + 1`.as('next')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
        const number = numberOf(orgId, Number(next.next));
        const byActivity = new Map<string, { activity_code: string; name_zh: string; name_en: string; units: number }>();
        for (const c of mine) {
          const entry = byActivity.get(c.activity_code) ?? { activity_code: c.activity_code, name_zh: c.activity_name_zh, name_en: c.activity_name_en, units: 0 };
          entry.units += c.units;
          byActivity.set(c.activity_code, entry);
        }
        const content: CertificateContent = {
          iss: 'jifen',
          number,
          issuing_org: { id: orgId, name: mine[0]!.org_name },
          member: { member_no: member.member_no ?? null, name: member.display_name ?? null },
          period: { from, to, ...periodDays({ from, to }, programme.utcOffsetMinutes) },
          hours_by_activity: [...byActivity.values()].map(({ units, ...a }) => ({ ...a, hours: formatHours(units) })),
          total_hours: formatHours(mine.reduce((n, c) => n + c.units, 0)),
          level: record.level.level,
          issued_at: now.toISOString(),
          ledger_seq: seq,
        };
        rows.push({
          number,
          org_id: orgId,
          org_seq: Number(next.next),
          member_id: memberId,
          period_from: from,
          period_to: to,
          content: JSON.stringify(content),
          jws: signer.sign(content, CERTIFICATE_TYPE),
          claim_ids: JSON.stringify(mine.map((c) => c.claim_id)),
          issued_by: callerKey(caller),
          created_at: now.toISOString(),
        });
      }
      const statements = rows.map((row) => db.insertInto('certificates').values(row).compile());
      return () => ({ statements, result: rows });
    },
    201,
    (rows) => ({ certificates: rows.map((r) => ({ number: r.number, jws: r.jws, url: certificateUrl(r.number) })) }),
  );
}

interface CertificateState {
  number: string;
  org_id: string;
  member_id: string;
  content: string;
  jws: string;
  created_at: string;
  revoked_reason: string | null;
}

// Revoked by hand (its recorded reason), or because a claim it certifies was revoked since.
const revokedReason = (db: Db) => sql<string | null>`coalesce(
  (SELECT reason FROM certificate_revocations cr WHERE cr.number = certificates.number),
  (SELECT CAST(${HOURS_REVOKED_REASON} AS TEXT) WHERE EXISTS (
     SELECT 1 FROM ${jsonTexts(db, sql.ref('certificates.claim_ids'), 'j')} JOIN claim_decisions r ON r.claim_id = j.value AND r.decision = 'revoke')))`;

async function findCertificate(db: Db, number: string): Promise<CertificateState> {
  const row = await db
    .selectFrom('certificates')
    .select(['number', 'org_id', 'member_id', 'content', 'jws', 'created_at', revokedReason(db).as('revoked_reason')])
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw refuse('certificate_not_found');
  return row;
}

/** True when `jws` is signed by the service's published key and states exactly `content`. */
async function authentic(signer: ServiceSigner, jws: string, content: string): Promise<boolean> {
  try {
    const [key] = signer.publicJwks().keys;
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK(key!, 'EdDSA'));
    if (protectedHeader.typ !== CERTIFICATE_TYPE) return false;
    return JSON.stringify(JSON.parse(new TextDecoder().decode(payload))) === content;
  } catch {
    return false;
  }
}

/** What anyone may learn of a certificate by its number: authentic and in force, revoked and why, and what it states — nothing else. */
export interface PublicCertificate {
  valid: boolean;
  revoked: boolean;
  revoked_reason?: string;
  content: CertificateContent;
}

export async function publicCertificate(deps: AppDeps, number: string): Promise<PublicCertificate> {
  const row = await findCertificate(deps.db, number);
  const genuine = await authentic(deps.signer, row.jws, row.content);
  const revoked = row.revoked_reason !== null;
  return {
    valid: genuine && !revoked,
    revoked,
    ...(revoked ? { revoked_reason: row.revoked_reason! } : {}),
    content: JSON.parse(row.content) as CertificateContent,
  };
}

/** Revokes a certificate with a reason: admins, and organizers of the issuing org's subtree. */
export async function revokeCertificate(deps: AppDeps, caller: Caller, number: string, reason: string, idempotency: IdempotencyScope | undefined) {
  const row = await findCertificate(deps.db, number);
  if (caller.role !== 'admin' && !(caller.role === 'organizer' && caller.org_id && (await orgWithin(deps.db, caller.org_id, row.org_id)))) {
    // Out of scope: as if there were no such certificate to revoke.
    throw refuse('certificate_not_found');
  }
  if (row.revoked_reason !== null) throw refuse('certificate_already_revoked');
  const revocation = { number: row.number, reason, revoked_by: callerKey(caller), created_at: deps.clock().toISOString() };
  const statement = deps.db.insertInto('certificate_revocations').values(revocation).compile();
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: revocation }), 200, (r) => ({
    number: r.number,
    revoked: true as const,
    revoked_reason: r.reason,
    revoked_at: r.created_at,
  }));
}

/** The register of certificates, newest first, within an org's subtree when asked (admins and auditors). */
export async function certificateRegister(deps: AppDeps, caller: Caller, input: { org_id?: string | undefined; limit: number; cursor?: string | undefined }) {
  const path = input.org_id === undefined ? undefined : (await requireOrgScope(deps.db, { ...caller, role: 'admin' }, input.org_id)).path;
  return listCertificates(deps, { ...(path !== undefined ? { path } : {}) }, input);
}

/** The calling worker's own certificates, newest first. */
export async function myCertificates(deps: AppDeps, caller: Caller, input: { limit: number; cursor?: string | undefined }) {
  if (!caller.member_id) throw forbidden('Certificates are issued to a member');
  return listCertificates(deps, { memberId: caller.member_id }, input);
}

async function listCertificates(deps: AppDeps, filter: { path?: string; memberId?: string }, input: { limit: number; cursor?: string | undefined }) {
  const { db, programme } = deps;
  const after = idCursor(input.cursor);
  let query = db
    .selectFrom('certificates')
    .innerJoin('orgs', 'orgs.id', 'certificates.org_id')
    .select(['certificates.number', 'certificates.org_id', 'certificates.member_id', 'certificates.content', 'certificates.created_at', revokedReason(db).as('revoked_reason')])
    .orderBy('certificates.created_at', 'desc')
    .orderBy('certificates.number', 'desc')
    .limit(input.limit + 1);
  if (filter.path !== undefined) query = query.where(withinPath('orgs.path', filter.path));
  if (filter.memberId !== undefined) query = query.where('certificates.member_id', '=', filter.memberId);
  if (after !== undefined) {
    const last = await db.selectFrom('certificates').select(['created_at', 'number']).where('number', '=', after).executeTakeFirst();
    if (!last) throw badRequest('invalid_cursor');
    query = query.where((eb) => eb.or([eb('certificates.created_at', '<', last.created_at), eb.and([eb('certificates.created_at', '=', last.created_at), eb('certificates.number', '<', last.number)])]));
  }
  const { rows, next_cursor } = pageOf(await query.execute(), input.limit, (r) => r.number);
  return {
    items: rows.map((r) => {
      const content = JSON.parse(r.content) as CertificateContent;
      return {
        number: r.number,
        register_no: registerNumber(r.number),
        org_id: r.org_id,
        org_name: content.issuing_org.name,
        member_id: r.member_id,
        member_no: content.member.member_no,
        member_name: content.member.name,
        period: certifiedPeriod(content, programme.utcOffsetMinutes),
        total_hours: content.total_hours,
        issued_at: r.created_at,
        revoked: r.revoked_reason !== null,
        revoked_reason: r.revoked_reason,
        url: certificateUrl(r.number),
      };
    }),
    next_cursor,
  };
}
