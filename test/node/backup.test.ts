import { startNodeService } from './support/node-service.js';
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mintToken } from '../../src/auth/mint.js';
import { verifyDatabaseFile } from '../../scripts/backup/copy.js';

// `npm run backup` against the service as it runs, writes going on, and the
// restore of docs/operations.md followed step by step: stop, put the copy in
// place, start, verify, keep writing.
const root = new URL('../../', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let service: ChildProcess | undefined;
let dir = '';

afterEach(() => {
  service?.kill('SIGKILL');
  service = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The service on the test's data folder, with no scheduled jobs; its URL on 127.0.0.1. */
function startService(): Promise<string> {
  const started = startNodeService(join(dir, 'data'), { JIFEN_JOBS_INTERVAL_SECONDS: '0' });
  service = started.child;
  return started.url.then((url) => url.replace('localhost', '127.0.0.1'));
}

async function stopService(): Promise<void> {
  const running = service!;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
  service = undefined;
}

const backup = (file: string) => runBackup([file]);
const backupFrom = (source: string, file: string) => runBackup([file, '--from', source]);

function runBackup(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(npm, ['run', '--silent', 'backup', '--', ...args], { cwd: root, env: { ...process.env, JIFEN_DATA_DIR: join(dir, 'data') } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('npm run backup', () => {
  it('copies the live database while it is written, verifies the copy, refuses to overwrite, and the copy restores and goes on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jifen-backup-'));
    let url = await startService();
    const secret = readFileSync(join(dir, 'data', 'keys', 'dev-jwt-secret'), 'utf8').trim();
    const token = (role: 'admin' | 'organizer', scope: Record<string, string> = {}) => mintToken(secret, { role, sub: `${role}-backup-test`, ...scope, issuer: 'jifen', audience: 'jifen', ttl: '1h' });
    const admin = await token('admin');
    let keys = 0;
    const post = async <T = Record<string, unknown>>(path: string, body: unknown, bearer = admin): Promise<T> => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': `backup-test-${++keys}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as T;
      if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const city = await post<{ id: string }>('/v1/orgs', { name: '湘潭市', kind: 'city' });
    const district = await post<{ id: string }>('/v1/orgs', { name: '岳塘区', kind: 'district', parent_id: city.id });
    const street = await post<{ id: string }>('/v1/orgs', { name: '建设路街道', kind: 'street', parent_id: district.id });
    const community = await post<{ id: string }>('/v1/orgs', { name: '和平社区', kind: 'community', parent_id: street.id });
    await post('/v1/activity-types', { code: 'hazard_resolved', name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '5' });
    const member = await post<{ id: string }>('/v1/members', { display_name: '外卖骑手01', platform: 'delivery', home_org_id: community.id });
    await post('/v1/budget-allocations', { org_id: street.id, amount: '100000' });
    const organizer = await token('organizer', { org_id: street.id });
    const credit = () => post<{ status: string }>('/v1/claims', { member_id: member.id, activity_code: 'hazard_resolved', occurred_at: new Date(Date.now() - 60_000).toISOString() }, organizer);
    expect((await credit()).status).toBe('approved');

    const live = new Database(join(dir, 'data', 'jifen.db'), { readonly: true });
    const headOf = (db: Database.Database) => db.prepare('SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const before = headOf(live).seq;

    // Four writers keep crediting and allocating while the backup runs, and for a moment after.
    const file = join(dir, 'backup.db');
    let copying = true;
    let written = 0;
    const writer = async (i: number) => {
      while (copying) {
        if (i % 2) await credit();
        else await post('/v1/budget-allocations', { org_id: city.id, amount: '1' });
        written++;
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 300));
    const done = await backup(file);
    await new Promise((r) => setTimeout(r, 200));
    copying = false;
    await Promise.all(writers);
    expect(done.code, done.err + done.out).toBe(0);
    expect(written).toBeGreaterThan(20);

    // The copy is one snapshot: a prefix of the live chain that includes what was written before the backup began.
    const copy = new Database(file, { readonly: true });
    const copyHead = headOf(copy);
    expect(copyHead.seq).toBeGreaterThan(before);
    expect(headOf(live).seq).toBeGreaterThan(copyHead.seq);
    expect((live.prepare('SELECT hash FROM transactions WHERE seq = ?').get(copyHead.seq) as { hash: string }).hash).toBe(copyHead.hash);
    expect((copy.prepare('SELECT count(*) AS n FROM transactions').get() as { n: number }).n).toBe(copyHead.seq);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // What it says it checked, and the copy checked again here with the same code.
    expect(done.out).toContain(`chain head:    seq ${copyHead.seq.toLocaleString('en-US')}, hash ${copyHead.hash.slice(0, 16)}`);
    expect(done.out).toMatch(/trial balance: 0\.00 \(zero\)/);
    const verified = await verifyDatabaseFile(file);
    expect(verified).toMatchObject({ ok: true, integrity: 'ok', transactions: copyHead.seq, trial_balance: { balanced: true, total: '0.00' }, problems: [] });
    expect(verified.ledger).toMatchObject({ ok: true, checked: copyHead.seq, balance_mismatches: [] });

    // Never over an existing file, and the file is left as it was.
    const again = await backup(file);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists already: a backup never overwrites a file/);
    expect(headOf(new Database(file, { readonly: true })).seq).toBe(copyHead.seq);
    live.close();

    // A copy whose history was rewritten (a memo changed behind the triggers' back) fails the check, and says where.
    const tampered = join(dir, 'tampered.db');
    copyFileSync(file, tampered);
    const forger = new Database(tampered);
    forger.exec("DROP TRIGGER transactions_no_update; UPDATE transactions SET memo = 'rewritten' WHERE seq = 2");
    forger.close();
    const refused = await verifyDatabaseFile(tampered);
    expect(refused.ok).toBe(false);
    expect(refused.problems).toEqual(['the chain breaks at seq 2: hash does not match the transaction and its postings']);
    const failed = await backupFrom(tampered, join(dir, 'of-tampered.db'));
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('Verification FAILED');
    expect(failed.out).toContain('the chain breaks at seq 2');

    // Restore (docs/operations.md): stop the service, set the live files aside, put the copy in place, start.
    const checked = await runBackup(['--check', file]);
    expect(checked.code, checked.err).toBe(0);
    expect(checked.out).toContain(`Verified ${file}`);
    await stopService();
    const data = join(dir, 'data');
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(join(data, `jifen.db${suffix}`))) renameSync(join(data, `jifen.db${suffix}`), join(dir, `before-restore.db${suffix}`));
    copyFileSync(file, join(data, 'jifen.db'));
    url = await startService();
    const auditor = await mintToken(secret, { role: 'auditor', sub: 'auditor-backup-test', issuer: 'jifen', audience: 'jifen', ttl: '1h' });
    const get = async (path: string) => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${auditor}` } })).json() as Promise<Record<string, unknown>>;
    expect(await get('/v1/audit/verify')).toMatchObject({ ok: true, to_seq: copyHead.seq, checked: copyHead.seq });
    // Writing goes on from the copy's head: a credit succeeds and chains onto it.
    const posted = async () => ((await get(`/v1/accounts/worker:${member.id}`)) as { balance: { posted: string } }).balance.posted;
    const balanceBefore = await posted();
    expect((await credit()).status).toBe('approved');
    const restored = new Database(join(data, 'jifen.db'), { readonly: true });
    const next = restored.prepare('SELECT seq, prev_hash FROM transactions ORDER BY seq DESC LIMIT 1').get() as { seq: number; prev_hash: string };
    restored.close();
    expect(next).toEqual({ seq: copyHead.seq + 1, prev_hash: copyHead.hash });
    expect(await posted()).toBe((Number(balanceBefore) + 5).toFixed(2));
    expect(await get('/v1/audit/verify')).toMatchObject({ ok: true, to_seq: copyHead.seq + 1, balance_mismatches: [] });
    expect(await get('/v1/audit/trial-balance')).toMatchObject({ balanced: true, total: '0.00' });
    await stopService();
  }, 60_000);
});
