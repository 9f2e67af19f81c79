import { sql } from 'kysely';
import type { Caller } from '../auth/caller.js';
import { callerKey } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import type { Database } from '../db/types.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { forbidden, refuse } from '../errors.js';
import { newId } from '../ids.js';
import { sha256HexOfBytes } from '../ledger/hash.js';
import { orgWithin } from '../orgs/orgs.js';
import { EVIDENCE_MAX_BYTES, evidenceTypeOf, type EvidenceType } from './limits.js';
import { stripMetadata } from './strip-metadata.js';

type EvidenceRow = Database['evidence'];

/** Evidence as the API shows it. */
export function evidenceView(row: EvidenceRow) {
  return { id: row.id, sha256: row.sha256, content_type: row.content_type, size: row.size, created_at: row.created_at };
}

/**
 * Stores an uploaded image without its metadata and records who uploaded it.
 * The bytes are stored first, by their hash (storing them again changes
 * nothing), then the row is committed; a refused upload stores nothing.
 */
export async function uploadEvidence(
  deps: AppDeps,
  caller: Caller,
  input: { bytes: Uint8Array; contentType: string | undefined },
  idempotency: IdempotencyScope | undefined,
) {
  const type = evidenceTypeOf(input.contentType);
  if (!type) throw refuse('evidence_type_unsupported');
  if (input.bytes.length > EVIDENCE_MAX_BYTES) throw refuse('evidence_too_large');
  const stripped = stripMetadata(input.bytes, type);
  if (!stripped) throw refuse('evidence_not_an_image', `The body is not a whole ${type === 'image/jpeg' ? 'JPEG' : 'PNG'} image`);
  const sha256 = sha256HexOfBytes(stripped);
  await deps.evidence.put(sha256, stripped, type);
  const row: EvidenceRow = {
    id: newId('evd'),
    sha256,
    content_type: type,
    size: stripped.length,
    uploaded_by: callerKey(caller),
    uploader_role: caller.role as EvidenceRow['uploader_role'],
    member_id: caller.role === 'worker' ? caller.member_id! : null,
    created_at: deps.clock().toISOString(),
  };
  return commitWrite(
    deps,
    idempotency,
    () => ({ statements: [deps.db.insertInto('evidence').values(row).compile()], result: row }),
    201,
    evidenceView,
  );
}

/**
 * The image of one piece of evidence, for a caller who may see it: its
 * uploader; once a claim links it, whoever may read that claim (the worker
 * credited, organizers of the claim's org subtree, admins, auditors).
 * @throws 404 unknown_evidence, 403 forbidden
 */
export async function readEvidence(deps: AppDeps, caller: Caller, id: string): Promise<{ bytes: Uint8Array; contentType: EvidenceType }> {
  const { db } = deps;
  const row = await db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw refuse('unknown_evidence', `Evidence ${id} was not found`);
  if (!(await mayRead(deps, caller, row))) throw forbidden('This evidence belongs to a claim you cannot read');
  const bytes = await deps.evidence.get(row.sha256);
  // The row is committed only after its bytes are stored, so missing bytes are a fault, not a refusal.
  if (!bytes) throw new Error(`evidence ${row.id}: nothing stored under ${row.sha256}`);
  return { bytes, contentType: row.content_type };
}

async function mayRead(deps: AppDeps, caller: Caller, row: EvidenceRow): Promise<boolean> {
  if (row.uploaded_by === callerKey(caller) && (row.member_id === null || row.member_id === caller.member_id)) return true;
  const { rows: claims } = await sql<{ member_id: string; org_id: string }>`
    SELECT member_id, org_id FROM claims WHERE evidence_id = ${row.id}`.execute(deps.db);
  if (claims.length === 0) return false;
  if (caller.role === 'admin' || caller.role === 'auditor') return true;
  if (caller.role === 'worker') return claims.some((c) => c.member_id === caller.member_id);
  if (caller.role === 'organizer' && caller.org_id) {
    for (const c of claims) if (await orgWithin(deps.db, caller.org_id, c.org_id)) return true;
  }
  return false;
}
