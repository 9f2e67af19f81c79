import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import type { Harness } from '../support/harness-core.js';
import { earningProgramme } from '../support/earning.js';

// The claims guard on PostgreSQL reads the service's own ISO text the quick
// way (schema/postgres/0005, claims_hardening_app_times) and any other text
// as SQLite does (0003, claims_hardening). Either way a claim's times must be
// judged exactly as schema/0008 judges them with SQLite's strftime. Each case
// below is judged by an in-memory SQLite running 0008's comparisons and then
// inserted on PostgreSQL: the words must agree, on the edges of both paths.
const sqlite = new Database(':memory:');
const F = "'%Y-%m-%dT%H:%M:%fZ'";
const judge = sqlite.prepare<[{ 1: string; 2: string; 3: number }]>(
  `SELECT CASE
     WHEN strftime(${F}, ?1) > strftime(${F}, ?2, '+5 minutes') THEN 'occurred_in_future'
     WHEN coalesce(strftime(${F}, ?1), '') < strftime(${F}, ?2, '-' || ?3 || ' days') THEN 'claim_too_old'
     ELSE 'ok' END AS verdict`,
);
const sqliteVerdict = (occurred: string, created: string, maxAgeDays: number) =>
  (judge.get({ 1: occurred, 2: created, 3: maxAgeDays }) as { verdict: string }).verdict;

const MINUTE = 60_000;
const DAY = 86_400_000;
const shifted = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const created = [
  '2026-03-01T08:00:00.000Z',
  '2026-01-31T23:59:59.999Z',
  '2026-04-30T00:00:00.000Z',
  '2024-03-01T00:00:00.000Z',
  '1000-01-01T00:00:00.000Z',
  '9998-12-31T23:59:59.999Z',
  '2026-03-01 08:00:00',
];
const maxAges = [1, 30, 1_000_000, 3_000_000];
const odd = [
  '2024-02-29T12:00:00.000Z',
  '2026-02-29T12:00:00.000Z',
  '2026-04-31T12:00:00.000Z',
  '0999-12-31T23:59:59.999Z',
  '9999-12-31T23:58:00.000Z',
  '2026-03-01T16:04:00.000+08:00',
  '2026-03-01T08:00:00Z',
  '2026-02-28T08:00',
  'now',
  '2461000.5',
  'garbage',
];

let h: Harness;
let e: Awaited<ReturnType<typeof earningProgramme>>;
beforeAll(async () => {
  h = await createHarness();
  e = await earningProgramme(h);
});

describe('claim times on PostgreSQL', () => {
  it('are judged as SQLite judges them, for the service’s own ISO text and for any other', async () => {
    let n = 0;
    let quick = 0;
    const disagreements: string[] = [];
    for (const c of created) {
      for (const maxAge of maxAges) {
        const around = Number.isNaN(Date.parse(c))
          ? []
          : [0, -1, 5 * MINUTE, 5 * MINUTE + 1, -maxAge * DAY, -maxAge * DAY - 1]
              .map((ms) => Date.parse(c) + ms)
              .filter((t) => t >= Date.parse('1000-01-01T00:00:00.000Z') && t < Date.parse('9999-12-31T23:59:59.999Z'))
              .map((t) => new Date(t).toISOString());
        for (const o of [...around, ...odd]) {
          const expected = sqliteVerdict(o, c, maxAge);
          const [{ fast } = { fast: false }] = await h.sql.all<{ fast: boolean }>(
            `SELECT app_instant_ms('${o}') IS NOT NULL AND app_instant_ms('${c}') IS NOT NULL AS fast`,
          );
          if (fast) quick++;
          const id = `clm_t${n++}`;
          const insert = h.sql.exec(`INSERT INTO claims (id, member_id, org_id, activity_code, activity_version, units, occurred_at, multiplier, points,
              submitted_by, submitted_sub, submitted_role, created_at, max_age_days, backfill_reason, programme_day, submitter_org_id)
            VALUES ('${id}', '${e.riders[0]!.id}', '${e.community.id}', 'volunteer_hour', 1, 100, '${o}', '1', 1000,
              'organizer:x', 'x', 'organizer', '${c}', ${maxAge}, NULL, '2026-01-01', '${e.street.id}')`);
          const actual = await insert.then(
            () => 'ok',
            (error: Error) => /occurred_in_future|claim_too_old/.exec(error.message)?.[0] ?? error.message,
          );
          if (actual !== expected) disagreements.push(`occurred ${o}, created ${c}, ${maxAge} days: SQLite ${expected}, PostgreSQL ${actual}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    // Both paths were taken, and each verdict was reached on both.
    expect(quick).toBeGreaterThan(100);
    expect(n - quick).toBeGreaterThan(100);
    const [{ kept }] = (await h.sql.all<{ kept: number }>("SELECT count(*) AS kept FROM claims WHERE id LIKE 'clm_t%'")) as [{ kept: number }];
    expect(kept).toBeGreaterThan(20);
    expect(kept).toBeLessThan(n - 20);
  });
});
