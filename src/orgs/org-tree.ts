import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { idCursor, pageOf } from '../db/page-cursor.js';
import { badRequest } from '../errors.js';
import { orgBudgetAccount } from '../ledger/accounts.js';
import { listScopePath, withinPath, type OrgKind } from './orgs.js';

/** An org in a tree page, with the orgs under it that the same page holds. */
export interface OrgNode {
  id: string;
  name: string;
  kind: OrgKind;
  parent_id: string | null;
  budget_account_id: string;
  /** Levels below the top of the listed scope (0 for its top orgs). */
  depth: number;
  created_at: string;
  children: OrgNode[];
}

/** Levels below the top of the whole tree: 0 for '/city/', 1 for '/city/district/'. */
const levels = (path: string) => path.split('/').length - 3;

/**
 * The caller's org subtree (admins and auditors: every top-level org and what is under it;
 * organizers: their org and below; `org_id` roots it lower), a page at a time. The tree is
 * walked in path order — each org before the orgs under it, siblings by id (ids sort by when
 * they were made) — and a page holds the next `limit` orgs of that walk, nested: an org whose parent is
 * on the same page is among its parent's `children`; one whose parent came on an earlier page
 * is at the top of `items`, where `parent_id` and `depth` say where it hangs. The cursor is the
 * last org of the page.
 */
export async function orgTreePage(deps: AppDeps, caller: Caller, input: { org_id?: string | undefined; limit: number; cursor?: string | undefined }) {
  const { db } = deps;
  const scope = await listScopePath(db, caller, input.org_id);
  const afterId = idCursor(input.cursor);
  let query = db.selectFrom('orgs').select(['id', 'name', 'kind', 'parent_id', 'path', 'created_at']).orderBy('path').limit(input.limit + 1);
  if (scope !== undefined) query = query.where(withinPath('path', scope));
  if (afterId !== undefined) {
    let anchor = db.selectFrom('orgs').select('path').where('id', '=', afterId);
    if (scope !== undefined) anchor = anchor.where(withinPath('path', scope));
    const after = await anchor.executeTakeFirst();
    if (!after) throw badRequest('invalid_cursor');
    query = query.where('path', '>', after.path);
  }
  const { rows, next_cursor } = pageOf(await query.execute(), input.limit, (org) => org.id);
  const top = scope === undefined ? 0 : levels(scope);
  const items: OrgNode[] = [];
  const onPage = new Map<string, OrgNode>();
  for (const org of rows) {
    const node: OrgNode = {
      id: org.id,
      name: org.name,
      kind: org.kind as OrgKind,
      parent_id: org.parent_id,
      budget_account_id: orgBudgetAccount(org.id),
      depth: levels(org.path) - top,
      created_at: org.created_at,
      children: [],
    };
    onPage.set(org.id, node);
    // Path order puts a parent before its children, so it is on the page already if at all.
    const parent = org.parent_id === null ? undefined : onPage.get(org.parent_id);
    (parent ? parent.children : items).push(node);
  }
  return { items, next_cursor };
}
