import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { inJson } from '../db/dialect.js';

/**
 * The one rule of who pays, used by crediting (src/claims/plan-credits.ts)
 * and by the budget an organizer reads (budget-view.ts).
 *
 * Whose budget pays for claims of each org: the nearest org from it up to
 * the root that has ever received a budget allocation (budgets are held
 * where an admin allocates them, often a street or district); the claim's
 * own org when none has.
 */
export async function payingOrgs(db: Db, orgIds: readonly string[], knownPaths: ReadonlyMap<string, string> = new Map()): Promise<Map<string, string>> {
  const unique = [...new Set(orgIds)];
  const payers = new Map<string, string>();
  if (unique.length === 0) return payers;
  const unknown = unique.filter((id) => !knownPaths.has(id));
  const orgs = unique.filter((id) => knownPaths.has(id)).map((id) => ({ id, path: knownPaths.get(id)! }));
  if (unknown.length > 0) {
    const { rows } = await sql<{ id: string; path: string }>`
      SELECT id, path FROM orgs WHERE id IN ${inJson(db, unknown)}`.execute(db);
    orgs.push(...rows);
  }
  const ancestors = [...new Set(orgs.flatMap((o) => o.path.split('/').filter(Boolean)))];
  // SQL text, not the builder: this runs on every credit.
  const { rows: funded } = await sql<{ ref_id: string }>`
    SELECT DISTINCT ref_id FROM transactions
    WHERE kind = 'budget_allocation' AND ref_type = 'org' AND ref_id IN ${inJson(db, ancestors)}`.execute(db);
  const fundedIds = new Set(funded.map((f) => f.ref_id));
  for (const org of orgs) {
    const chain = org.path.split('/').filter(Boolean).reverse();
    payers.set(org.id, chain.find((id) => fundedIds.has(id)) ?? org.id);
  }
  return payers;
}
