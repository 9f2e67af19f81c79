import type { Database, Db } from '../db/types.js';
import type { BatchBuilder } from '../db/executor.js';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { newId } from '../ids.js';
import { openAccount, workerAccount } from '../ledger/accounts.js';

export const PLATFORMS = ['delivery', 'courier', 'ride_hailing', 'freight', 'other'] as const;

export type MemberRow = Database['members'];

/** What registering a member takes: its pseudonymous profile and its home org. */
export interface MemberInput {
  display_name?: string;
  platform?: string;
  home_org_id: string;
  external_ref?: string;
}

/** Compiles the registration of a member (pseudonymous) and its worker account. */
export function registerMember(
  db: Db,
  input: MemberInput,
  now: string,
): BatchBuilder<MemberRow> {
  const id = newId('mem');
  const member: MemberRow = {
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
  return () => ({ statements, result: member });
}

/** Registers a member with its points account, for a home org in the caller's scope. */
export async function createMember(deps: AppDeps, caller: Caller, input: MemberInput, idempotency: IdempotencyScope | undefined) {
  await requireOrgScope(deps.db, caller, input.home_org_id);
  return commitWrite(deps, idempotency, registerMember(deps.db, input, deps.clock().toISOString()), 201, (m) => m);
}

/** Reads one member with its account's stored balances: one query (the worker's hottest read). */
export function findMemberWithBalance(db: Db, id: string): Promise<(MemberRow & { posted: number | null; held: number | null }) | undefined> {
  return db
    .selectFrom('members as m')
    .leftJoin('accounts as a', 'a.id', 'm.account_id')
    .selectAll('m')
    .select(['a.posted', 'a.held'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}
