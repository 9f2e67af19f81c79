import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrateSqlite, readMigrations } from '../../src/db/migrate-sqlite.js';
import { isMemberNumber } from '../../src/members/member-number.js';

describe('migration 0010 on a programme that already has members', () => {
  it('numbers them in the order they were registered, and the next member continues the series', () => {
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.startsWith('0010_'));
    expect(at).toBeGreaterThan(0);
    const db = new Database(':memory:');
    migrateSqlite(db, all.slice(0, at));
    db.exec(`INSERT INTO orgs (id, name, kind, parent_id, path, created_at) VALUES ('o1', '湘潭市', 'city', NULL, '/o1/', '2026-01-01')`);
    // Registered out of id order: the older one gets the smaller number.
    for (const [id, at] of [['m_b', '2026-01-02'], ['m_a', '2026-01-03'], ['m_c', '2026-01-01']]) {
      db.exec(`INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) VALUES ('worker:${id}', 'worker', '${id}', 1, '${at}')`);
      db.exec(`INSERT INTO members (id, home_org_id, account_id, created_at) VALUES ('${id}', 'o1', 'worker:${id}', '${at}')`);
    }
    migrateSqlite(db, all);
    const rows = db.prepare('SELECT id, member_no, status FROM members ORDER BY member_no').all() as Array<{ id: string; member_no: number; status: string }>;
    expect(rows.map((r) => r.id)).toEqual(['m_c', 'm_b', 'm_a']);
    expect(rows.map((r) => r.member_no)).toEqual([100105, 100202, 100396]);
    expect(rows.every((r) => r.status === 'active' && isMemberNumber(String(r.member_no)))).toBe(true);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'member_number_backfill%'").all()).toEqual([]);
    db.exec(`INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) VALUES ('worker:m_d', 'worker', 'm_d', 1, 'x')`);
    db.exec(`INSERT INTO members (id, home_org_id, account_id, created_at) VALUES ('m_d', 'o1', 'worker:m_d', 'x')`);
    expect(db.prepare("SELECT member_no FROM members WHERE id = 'm_d'").get()).toEqual({ member_no: 100493 });
  });
});
