import { sql } from 'kysely';
import type { Database, Db } from '../db/types.js';
import type { Caller } from '../auth/caller.js';
import { forbidden, notFound, refused } from '../errors.js';
import { newId } from '../ids.js';
import { openAccount, orgBudgetAccount } from '../ledger/accounts.js';
import type { BatchBuilder } from '../db/executor.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';

export { ORG_KINDS, ALLOWED_PARENTS, type OrgKind } from './kinds.js';
import { ALLOWED_PARENTS, type OrgKind } from './kinds.js';

export type OrgRow = Database['orgs'];

/** Reads one org. */
export function findOrg(db: Db, id: string): Promise<OrgRow | undefined> {
  return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The orgs directly under one, by name. */
export function childOrgs(db: Db, parentId: string): Promise<OrgRow[]> {
  return db.selectFrom('orgs').selectAll().where('parent_id', '=', parentId).orderBy('name').execute();
}

/**
 * Compiles the creation of an org and its budget account. The parent's path
 * is read by the INSERT itself, so the subtree path cannot go stale.
 */
export function createOrg(
  db: Db,
  input: { name: string; kind: OrgKind; parent: OrgRow | null },
  now: string,
): BatchBuilder<OrgRow & { budget_account_id: string }> {
  const allowed = ALLOWED_PARENTS[input.kind];
  const parentKind = (input.parent?.kind ?? null) as OrgKind | null;
  if (!allowed.includes(parentKind)) {
    const where = allowed.map((k) => k ?? 'the top of the tree').join(' or ');
    throw refused('invalid_org_parent', `A ${input.kind} must be placed under ${where}`);
  }
  const id = newId('org');
  const path = `${input.parent?.path ?? '/'}${id}/`;
  const org: OrgRow = { id, name: input.name, kind: input.kind, parent_id: input.parent?.id ?? null, path, created_at: now };
  const statements = [
    sql`INSERT INTO orgs (id, name, kind, parent_id, path, created_at)
        SELECT ${id}, ${input.name}, ${input.kind}, ${org.parent_id},
               coalesce((SELECT path FROM orgs WHERE id = ${org.parent_id}), '/') || ${id} || '/', ${now}`.compile(db),
    openAccount(db, { id: orgBudgetAccount(id), kind: 'budget', owner_id: id, created_at: now }),
  ];
  return () => ({ statements, result: { ...org, budget_account_id: orgBudgetAccount(id) } });
}

/** Creates an org (at the top, or under the parent it names) with its budget account; the caller's role is checked by the route. */
export async function registerOrg(deps: AppDeps, _caller: Caller, input: { name: string; kind: OrgKind; parent_id?: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const parent = input.parent_id ? await findOrg(db, input.parent_id) : null;
  if (input.parent_id && !parent) throw notFound(`Parent org ${input.parent_id}`);
  return commitWrite(deps, idempotency, createOrg(db, { name: input.name, kind: input.kind, parent: parent ?? null }, clock().toISOString()), 201, (org) => ({ ...org, kind: input.kind }));
}

/** True when `orgId` lies in the subtree rooted at `ancestorId` (itself included). */
export async function orgWithin(db: Db, ancestorId: string, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orgs as o')
    .innerJoin('orgs as a', (join) => join.onTrue())
    .select('o.id')
    .where('o.id', '=', orgId)
    .where('a.id', '=', ancestorId)
    .where(sql<boolean>`substr(o.path, 1, length(a.path)) = a.path`)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Refuses a caller acting on `orgId` outside its scope: admins everywhere,
 * organizers in their org's subtree, nobody else.
 * @throws 404 when the org does not exist, 403 when it is out of scope
 */
export async function requireOrgScope(db: Db, caller: Caller, orgId: string): Promise<OrgRow> {
  const org = await findOrg(db, orgId);
  if (!org) throw notFound(`Org ${orgId}`);
  if (caller.role === 'admin') return org;
  if (caller.role === 'organizer' && caller.org_id && (await orgWithin(db, caller.org_id, orgId))) return org;
  throw forbidden(`Org ${orgId} is outside your scope`);
}

/**
 * The org path a list is kept to: the subtree of `orgId` when it names one (in the caller's
 * scope: auditors read as admins do), else the caller's whole scope — undefined for admins
 * and auditors (everything), the organizer's own org's path.
 * @throws 404 for an unknown org, 403 for one outside the caller's scope or a role without one
 */
export async function listScopePath(db: Db, caller: Caller, orgId: string | undefined): Promise<string | undefined> {
  const reader = caller.role === 'auditor' ? { ...caller, role: 'admin' as const } : caller;
  if (orgId !== undefined) return (await requireOrgScope(db, reader, orgId)).path;
  if (reader.role === 'admin') return undefined;
  if (reader.role === 'organizer' && reader.org_id) {
    const own = await findOrg(db, reader.org_id);
    if (own) return own.path;
  }
  throw forbidden('This list is for admins, auditors and organizers');
}

/** A condition on an org path column: within the subtree at `path`. */
export const withinPath = (column: string, path: string) => sql<boolean>`substr(${sql.ref(column)}, 1, length(${path})) = ${path}`;
