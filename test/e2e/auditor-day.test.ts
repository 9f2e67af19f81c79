import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Download, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { zh } from '../../src/pages/strings-zh.js';
import { en } from '../../src/pages/strings-en.js';
import { formatPoints } from '../../src/ledger/amount.js';
import { thresholdFacts } from '../../src/audit/thresholds.js';
import type { ExportedTransaction } from '../../src/audit/export.js';
import { redemptionProgramme } from '../support/redemption.js';
import { expectSoundLedger } from '../support/fixtures.js';
import { complaints, open, signedIn, liveBrowser } from './support/live-service.js';

const live = liveBrowser();
const root = fileURLToPath(new URL('../..', import.meta.url));
const fillIn = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? String(vars[k]) : all));

// A folder holding what the page tells the auditor to copy into "a folder of the
// Jifen source code": the source (linked) and, once saved, the downloaded files.
let folder = '';
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = '';
});
function sourceFolder(): string {
  folder = mkdtempSync(join(tmpdir(), 'jifen-auditor-'));
  for (const entry of ['package.json', 'tsconfig.json', 'scripts', 'src', 'node_modules']) symlinkSync(join(root, entry), join(folder, entry));
  return folder;
}

/** Runs a command line (plain words, no quoting) in a folder: its exit status and output. */
function run(commandLine: string, cwd: string): Promise<{ code: number; stdout: string }> {
  const [file, ...args] = commandLine.split(' ');
  return new Promise((resolve) => {
    execFile(file!, args, { cwd, timeout: 60_000 }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
  });
}

/** Presses a button that downloads, and saves the file under the name the page gave it. */
async function downloaded(page: Page, button: string, dir: string): Promise<{ name: string; path: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), page.locator(button).click()])) as [Download, unknown];
  const name = download.suggestedFilename();
  const path = join(dir, name);
  await download.saveAs(path);
  return { name, path };
}

describe.each([
  ['zh', zh, ''],
  ['en', en, '?lang=en'],
] as const)('an auditor, in %s', (_lang, s, q) => {
  it('downloads CSV and NDJSON for a range, verifies the whole NDJSON offline with the command the page gives, and opens the records behind a finding', async () => {
    const { browser, service: { h, base } } = live;
    const r = await redemptionProgramme(h);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    // Some history: a redemption, a credited claim, a checkpoint, then more after it.
    await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.water.id, quantity: 1 });
    await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[1]!.id, activity_code: 'hazard_resolved', occurred_at: ago(30) } });
    expect((await h.call('POST', '/v1/audit/checkpoints', { token: r.admin })).status).toBe(201);
    await r.redeem(r.shopToken, { redeem_code: (await r.code(1)).code, reward_id: r.charger.id, quantity: 2 });
    // A finding: an organizer tries to approve the award it recorded itself, and is refused.
    const award = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[2]!.id, activity_code: 'pioneer_award', occurred_at: ago(90) } });
    expect((await h.call('POST', `/v1/claims/${award.body.id}/approve`, { token: r.organizer })).status).toBe(403);
    // Another: ten claims for one rider within a day.
    const worker = await r.workerToken(0);
    const burst: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await h.call('POST', '/v1/claims', { token: worker, body: { activity_code: 'grid_report', report_ref: `GR-${i}`, evidence_url: `https://grid.example/${i}`, occurred_at: ago(60 + i) } });
      expect(res.status, res.text).toBe(201);
      burst.push(res.body.id);
    }
    const head = (await h.call('GET', '/health')).body.head_seq as number;
    expect(head).toBeGreaterThanOrEqual(6);

    const token = await h.token('auditor', { sub: 'auditor-1' });
    const context = await signedIn(browser, base, token, '/app/auditor');
    // Every request from here on: none may carry the token in its address.
    const requests: Array<{ url: string; authorization: string | undefined }> = [];
    context.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers()['authorization'] }));
    const page = await open(context, base, `/app/auditor${q}`);
    const dir = sourceFolder();

    // 1. A range as CSV: one row a posting, exactly the ledger's postings of seqs 2..head-1.
    const [from, to] = [2, head - 1];
    await page.getByLabel(s.auditor_export_from).fill(String(from));
    await page.getByLabel(s.auditor_export_to).fill(String(to));
    const csv = await downloaded(page, '#export-csv', dir);
    expect(csv.name).toBe(`jifen-ledger-${from}-${to}.csv`);
    const ledger = (await h.sql.all(`SELECT seq, account_id, amount FROM postings WHERE seq BETWEEN ${from} AND ${to} ORDER BY seq, account_id`)) as Array<{ seq: number; account_id: string; amount: number }>;
    expect(ledger.length).toBeGreaterThan(0);
    const rows = readFileSync(csv.path, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]!.split(',').slice(0, 3)).toEqual(['seq', 'transaction_id', 'kind']);
    expect(rows.slice(1).map((row) => { const f = row.split(','); return [Number(f[0]), f[9], f[10]]; })).toEqual(ledger.map((p) => [p.seq, p.account_id, formatPoints(p.amount)]));
    await expect.poll(() => page.locator('#export-result').textContent()).toBe(fillIn(s.auditor_export_done, { file: csv.name, from, to, n: to - from + 1 }));

    // 2. The same range as NDJSON: one transaction a line, the same seqs and amounts; the page warns the verifier needs seq 1.
    const ranged = await downloaded(page, '#export-ndjson', dir);
    expect(ranged.name).toBe(`jifen-ledger-${from}-${to}.ndjson`);
    const txs = readFileSync(ranged.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ExportedTransaction);
    expect(txs.map((t) => t.seq)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
    expect(txs.flatMap((t) => t.postings.map((p) => [t.seq, p.account_id, p.amount]))).toEqual(ledger.map((p) => [p.seq, p.account_id, formatPoints(p.amount)]));
    await expect.poll(() => page.locator('#offline-result').textContent()).toBe(fillIn(s.auditor_offline_not_from_start, { file: ranged.name }));

    // 3. The whole ledger as NDJSON, the checkpoints and the keys; then the page's command, run as it says, passes.
    await page.getByLabel(s.auditor_export_from).fill('');
    await page.getByLabel(s.auditor_export_to).fill('');
    const whole = await downloaded(page, '#export-ndjson', dir);
    expect(whole.name).toBe(`jifen-ledger-1-${head}.ndjson`);
    expect(readFileSync(whole.path, 'utf8').trim().split('\n')).toHaveLength(head);
    expect((await downloaded(page, '#save-checkpoints', dir)).name).toBe('jifen-checkpoints.json');
    expect((await downloaded(page, '#save-jwks', dir)).name).toBe('jifen-jwks.json');
    const command = (await page.locator('#verify-command').textContent())!;
    expect(command).toBe(`npm run verify -- --file ${whole.name} --checkpoints jifen-checkpoints.json --jwks jifen-jwks.json`);
    const verified = await run(command, dir);
    expect(verified.stdout).toContain(`OK: ${head} transactions checked`);
    expect(verified.code).toBe(0);
    // And what the page says of a range that does not start at seq 1 is true: the verifier refuses it.
    const refused = await run(command.replace(whole.name, ranged.name), dir);
    expect(refused.stdout).toContain('FAILED at seq 1');
    expect(refused.code).toBe(1);

    // The exports went with the token in the Authorization header, and no address ever held it.
    const exports = requests.filter((request) => request.url.includes('/v1/audit/export'));
    expect(exports).toHaveLength(3);
    for (const request of exports) expect(request.authorization).toBe(`Bearer ${token}`);
    expect(requests.length).toBeGreaterThan(5);
    for (const request of requests) expect(request.url).not.toContain(token);

    // 4. The refused self-approval: what it means, and its record as people know it.
    const riderNo = async (i: number) => (await h.call('GET', `/v1/members/${r.riders[i]!.id}`, { token: r.admin })).body.member_no as string;
    const refusal = page.locator('#anomalies > li[data-kind="self_approval_refused"]');
    expect(await refusal.locator('[data-means]').textContent()).toBe(s.auditor_means_self_approval_refused);
    await refusal.locator('summary').click();
    expect(await refusal.locator('summary').textContent()).toBe(fillIn(s.auditor_records_open, { n: 1 }));
    const record = refusal.locator(`li[data-record-id="${award.body.id}"]`);
    expect(await record.isVisible()).toBe(true);
    const line = (await record.textContent())!;
    for (const part of [s.auditor_record_claim, `骑手2 ${await riderNo(2)}`, s === en ? 'Pioneer rider award' : '先锋骑手', fillIn(s.points, { n: '200.00' }), s.auditor_claim_pending, fillIn(s.auditor_record_activity_day, { d: award.body.occurred_at.slice(0, 10) })]) {
      expect(line).toContain(part);
    }

    // 5. The burst: the rule that found it, with the thresholds the detector used, and its ten claims.
    const rush = page.locator('#anomalies > li[data-kind="claims_burst"]');
    expect(await rush.locator('[data-means]').textContent()).toBe(fillIn(s.auditor_means_claims_burst, thresholdFacts()));
    await rush.locator('summary').click();
    const claims = rush.locator('li[data-record-id]');
    expect((await claims.evaluateAll((items) => items.map((li) => li.getAttribute('data-record-id')))).sort()).toEqual([...burst].sort());
    for (const text of await claims.allTextContents()) {
      expect(text).toContain(`骑手0 ${await riderNo(0)}`);
      expect(text).toContain(s === en ? 'Valuable grid report' : '上报有价值信息');
      expect(text).toContain(fillIn(s.points, { n: '5.00' }));
    }

    // Nothing moved: the trial balance is zero, on the page and in the ledger, which verifies.
    expect(await page.locator('#tb-verdict').getAttribute('data-balanced')).toBe('true');
    expect((await h.call('GET', '/health')).body.head_seq).toBe(head);
    await expectSoundLedger(h, r.admin);
    expect(complaints).toEqual([]);
  }, 180_000); // three runs of the verifier (npm, tsx) besides the browser
});
