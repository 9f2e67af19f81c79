import { sql, type Updateable } from 'kysely';
import type { Database, Db } from '../db/types.js';
import { inJson, inJsonIntegers, jsonObject } from '../db/dialect.js';
import type { BatchBuilder } from '../db/executor.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitFresh, commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { findOrg, listScopePath, orgWithin, requireOrgScope, withinPath } from '../orgs/orgs.js';
import { pageOf, seqCursor } from '../db/page-cursor.js';
import { newId } from '../ids.js';
import { balanceView, openAccount, workerAccount, type BalanceView } from '../ledger/accounts.js';
import { forbidden, notFound, refuse } from '../errors.js';
import { memberNumberText, readMemberRef } from './member-number.js';

export { PLATFORMS } from './platforms.js';
export const MEMBER_STATUSES = ['active', 'deactivated'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A member as stored (its number assigned by the database). */
export interface MemberRow {
  id: string;
  member_no: number;
  display_name: string | null;
  platform: string | null;
  home_org_id: string;
  external_ref: string | null;
  status: string;
  account_id: string;
  created_at: string;
}

/** A member as the API shows it: the number as text, with its home org's name. */
export interface MemberView {
  id: string;
  member_no: string;
  display_name: string | null;
  platform: string | null;
  home_org_id: string;
  home_org_name: string | null;
  external_ref: string | null;
  status: MemberStatus;
  account_id: string;
  created_at: string;
}

const MEMBER_COLUMNS = ['m.id', 'm.member_no', 'm.display_name', 'm.platform', 'm.home_org_id', 'm.external_ref', 'm.status', 'm.account_id', 'm.created_at'] as const;

/** The API's view of a member row. */
export function memberView(row: MemberRow, homeOrgName: string | null): MemberView {
  return { ...row, member_no: memberNumberText(row.member_no), status: row.status as MemberStatus, home_org_name: homeOrgName };
}

/** What registering a member takes: its pseudonymous profile and its home org. */
export interface MemberInput {
  display_name?: string | undefined;
  platform?: string | undefined;
  home_org_id: string;
  external_ref?: string | undefined;
}

/**
 * Compiles the registration of a member (pseudonymous) and its worker
 * account. Its number is the database's (schema/0010), so the answer takes
 * it from the row written.
 */
export function registerMember(db: Db, input: MemberInput, now: string): BatchBuilder<Omit<MemberRow, 'member_no'>> {
  const id = newId('mem');
  const member = {
    id,
    display_name: input.display_name ?? null,
    platform: input.platform ?? null,
    home_org_id: input.home_org_id,
    external_ref: input.external_ref ?? null,
    account_id: workerAccount(id),
    created_at: now,
  };
  const statements = [
    openAccount(db, { id: member.account_id, kind: 'worker', owner_id: id, created_at: now }),
    db.insertInto('members').values(member).compile(),
  ];
  return () => ({
    statements,
    result: { ...member, status: 'active' },
    answerFields: { member_no: sql`SELECT CAST(member_no AS TEXT) FROM members WHERE id = ${id}` },
  });
}

/** Registers a member with its points account, for a home org in the caller's scope. */
export async function createMember(deps: AppDeps, caller: Caller, input: MemberInput, idempotency: IdempotencyScope | undefined): Promise<MemberView> {
  const org = await requireOrgScope(deps.db, caller, input.home_org_id);
  const built = registerMember(deps.db, input, deps.clock().toISOString());
  // member_no comes from the database (answerFields); the placeholder is overwritten.
  return commitWrite(deps, idempotency, built, 201, (m) => memberView({ ...m, member_no: 0 }, org.name));
}

/** The members that references name (ids or member numbers), by the reference; a mistyped number or an unknown one is absent. */
export async function findMembersByRefs(db: Db, refs: readonly string[]): Promise<Map<string, MemberRow>> {
  const ids: string[] = [];
  const numbers: number[] = [];
  for (const ref of new Set(refs.filter(Boolean))) {
    const read = readMemberRef(ref);
    if (read.kind === 'id') ids.push(read.id);
    else if (read.kind === 'number') numbers.push(read.member_no);
  }
  if (ids.length === 0 && numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('members as m')
    .select(MEMBER_COLUMNS)
    .where((eb) =>
      eb.or([
        eb('m.id', 'in', inJson(db, ids)),
        eb('m.member_no', 'in', inJsonIntegers(db, numbers)),
      ]),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byNumber = new Map(rows.map((r) => [r.member_no, r]));
  const found = new Map<string, MemberRow>();
  for (const ref of refs) {
    const read = readMemberRef(ref);
    const row = read.kind === 'id' ? byId.get(read.id) : read.kind === 'number' ? byNumber.get(read.member_no) : undefined;
    if (row) found.set(ref, row);
  }
  return found;
}

/**
 * The member a reference names (its id or its number).
 * @throws 422 member_number_mistyped for digits that fail the check, 404 when no member has it
 */
export async function resolveMember(db: Db, ref: string): Promise<MemberRow> {
  if (readMemberRef(ref).kind === 'mistyped') throw refuse('member_number_mistyped');
  const row = (await findMembersByRefs(db, [ref])).get(ref);
  if (!row) throw notFound(`Member ${ref}`);
  return row;
}

/** The id a filter's member reference names, or undefined when none is given (a reference to nobody still filters to nothing). */
export async function memberFilterId(db: Db, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined) return undefined;
  if (readMemberRef(ref).kind === 'mistyped') throw refuse('member_number_mistyped');
  return (await findMembersByRefs(db, [ref])).get(ref)?.id ?? ref;
}

// A member with its home org's name and its account's stored balances (one query), as the reads below select it.
function membersWithBalances(db: Db) {
  return db
    .selectFrom('members as m')
    .innerJoin('orgs as o', 'o.id', 'm.home_org_id')
    .leftJoin('accounts as a', 'a.id', 'm.account_id')
    .select(MEMBER_COLUMNS)
    .select(['a.posted', 'a.held', 'o.name as home_org_name']);
}

function withBalance(row: MemberRow & { posted: number | null; held: number | null; home_org_name: string }): MemberView & { balance: BalanceView } {
  const { posted, held, home_org_name, ...member } = row;
  return { ...memberView(member, home_org_name), balance: balanceView(posted ?? 0, held ?? 0) };
}

/** Reads one member with its account's stored balances: one query (the worker's hottest read). */
export async function findMemberWithBalance(db: Db, id: string): Promise<(MemberView & { balance: BalanceView }) | undefined> {
  const row = await membersWithBalances(db).where('m.id', '=', id).executeTakeFirst();
  return row && withBalance(row);
}

/** Which members a search shows, within the caller's scope. */
export interface MemberSearch {
  q?: string | undefined;
  org_id?: string | undefined;
  status?: MemberStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Admins and auditors see every member; organizers those whose home org is in their subtree; nobody else. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Searches members by name, member number and external_ref in the caller's
 * scope, with their balances, in member-number order (the cursor is the last
 * number of the page).
 */
export async function searchMembers(deps: AppDeps, caller: Caller, search: MemberSearch) {
  const { db } = deps;
  const path = await listScopePath(db, caller, search.org_id);
  // The cursor is the last member number of the page before (numbers only grow, so the order is stable).
  const after = seqCursor(search.cursor) ?? 0;
  let query = membersWithBalances(db)
    .where('m.member_no', '>', after)
    .orderBy('m.member_no')
    .limit(search.limit + 1);
  if (path !== undefined) query = query.where(withinPath('o.path', path));
  if (search.status) query = query.where('m.status', '=', search.status);
  const q = search.q?.trim();
  if (q) {
    const ref = readMemberRef(q);
    query = query.where((eb) =>
      eb.or([
        eb(sql`m.display_name`, 'like', sql`${likePattern(q)} ESCAPE '\\'`),
        eb('m.external_ref', '=', q),
        ...(ref.kind === 'number' ? [eb('m.member_no', '=', ref.member_no)] : []),
        ...(ref.kind === 'id' ? [eb('m.id', '=', q)] : []),
      ]),
    );
  }
  const { rows, next_cursor } = pageOf(await query.execute(), search.limit, (row) => String(row.member_no));
  return { items: rows.map(withBalance), next_cursor };
}

/** A kept change of a member: who, when, why, and the values before and after. */
export interface MemberChangeView {
  id: string;
  actor: string;
  reason: string | null;
  before: Record<string, string | null>;
  after: Record<string, string | null>;
  created_at: string;
}

/**
 * The member a caller may see or change: admins and auditors any, organizers
 * one whose home org is in their subtree, a worker itself (the routes say
 * which roles may call them at all).
 */
export async function memberInScope(db: Db, caller: Caller, ref: string): Promise<MemberRow> {
  const member = await resolveMember(db, ref);
  if (caller.role === 'admin' || caller.role === 'auditor') return member;
  if (caller.role === 'worker' && caller.member_id === member.id) return member;
  if (caller.role === 'organizer' && caller.org_id && (await orgWithin(db, caller.org_id, member.home_org_id))) return member;
  // An organizer learns nothing of members outside its subtree, not even that they exist.
  throw notFound(`Member ${ref}`);
}

/** One member with its balance and every change made to it, newest first. */
export async function getMember(deps: AppDeps, caller: Caller, ref: string) {
  const { db } = deps;
  const { id } = await memberInScope(db, caller, ref);
  const member = (await findMemberWithBalance(db, id))!;
  const changes = await db
    .selectFrom('member_changes')
    .select(['id', 'actor', 'reason', 'before', 'after', 'created_at'])
    .where('member_id', '=', id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return {
    ...member,
    changes: changes.map((c): MemberChangeView => ({ ...c, before: JSON.parse(c.before), after: JSON.parse(c.after) })),
  };
}

/** The fields a change may name. */
export const CHANGEABLE_FIELDS = ['display_name', 'platform', 'external_ref', 'home_org_id', 'status'] as const;
type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

/** What a change sets; fields left out stay as they are. */
export type MemberChange = Partial<Record<ChangeableField, string | null>> & { reason?: string | undefined };

/**
 * Changes a member's profile, home org or status, keeping the change: who,
 * when, why, and each named field before and after. An organizer changes
 * members of its subtree and moves them only within it.
 *
 * The values before are read by the INSERT itself, and the change is refused
 * as stale (then redone) if the member moved to another home org after its
 * scope was checked.
 */
export async function changeMember(deps: AppDeps, caller: Caller, ref: string, change: MemberChange, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const { reason, ...fields } = change;
  const named = CHANGEABLE_FIELDS.filter((f) => fields[f] !== undefined);
  if (named.length === 0) throw refuse('validation_failed', 'Name at least one field to change');
  return commitFresh(
    deps,
    idempotency,
    async () => {
      const member = await memberInScope(db, caller, ref);
      let homeOrgName: string | null = null;
      if (fields.home_org_id) homeOrgName = (await requireOrgScope(db, caller, fields.home_org_id)).name;
      else homeOrgName = (await findOrg(db, member.home_org_id))?.name ?? null;
      const changeId = newId('mch');
      const now = clock().toISOString();
      const before = jsonObject(db, named.map((f) => [f, sql`m.${sql.ref(f)}`]));
      const after = Object.fromEntries(named.map((f) => [f, fields[f] ?? null]));
      const statements = [
        sql`INSERT INTO member_changes (id, member_id, actor, reason, before, after, created_at, scope_org_id)
            SELECT ${changeId}, m.id, ${callerKey(caller)}, ${reason ?? null}, ${before}, ${JSON.stringify(after)}, ${now}, ${member.home_org_id}
            FROM members m WHERE m.id = ${member.id}`.compile(db),
        db
          .updateTable('members')
          .set({ ...after, change_id: changeId } as Updateable<Database['members']>)
          .where('id', '=', member.id)
          .compile(),
      ];
      const updated: MemberRow = { ...member, ...(after as Partial<MemberRow>) };
      return () => ({ statements, result: memberView(updated, homeOrgName) });
    },
    200,
    (view) => view,
  );
}
