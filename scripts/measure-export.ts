// Measures that /v1/audit/export streams with flat memory: builds a ledger of
// N transactions (default 100,000) in a fresh file database, then streams the
// NDJSON and CSV exports while sampling the process's RSS.
//   npm run measure:export [-- --transactions 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/schema.js';
import { openSqlite } from '../src/db/sqlite.js';
import { nodeDeps } from '../src/entry/node-deps.js';
import { createApp } from '../src/app.js';
import { mintToken } from '../src/auth/mint.js';
import { appendTransaction } from '../src/ledger/transactions.js';
import type { CompiledQuery } from 'kysely';
import { exportJWK, generateKeyPair } from 'jose';

const { values } = parseArgs({ options: { transactions: { type: 'string', default: '100000' } } });
const total = Number(values.transactions);
const dir = mkdtempSync(join(tmpdir(), 'jifen-export-'));
const secret = 'measure-export-secret-measure-export-secret';
const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const config = parseConfig({ JIFEN_JWT_SECRET: secret, JIFEN_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)), JIFEN_LOG: 'off' });
const sqlite = openSqlite(join(dir, 'jifen.db'), 'normal');
const deps = await nodeDeps(config, sqlite, { quiet: true });
const app = createApp(deps);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// Ledger: 20 accounts, N transfers with Chinese memos, 1,000 transactions a write.
sqlite.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
  INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at) SELECT 'worker:m' || i, 'worker', 'm' || i, 1, 'x' FROM n`);
const started = performance.now();
for (let done = 0; done < total; done += 1000) {
  await deps.executor.write((head) => {
    let current = head;
    const statements: CompiledQuery[] = [];
    for (let i = done; i < Math.min(total, done + 1000); i++) {
      const r = appendTransaction(deps.db, current, {
        kind: 'adjustment',
        actor: 'measure',
        memo: `志愿服务 第${i}次`,
        created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        postings: [
          { account_id: 'program:issuance', amount: -(100 + (i % 900)) },
          { account_id: `worker:m${(i % 20) + 1}`, amount: 100 + (i % 900) },
        ],
      });
      statements.push(...r.statements);
      current = r.head;
    }
    return { statements, head: current, result: null };
  });
}
const built = performance.now() - started;
const token = await mintToken(secret, { role: 'auditor', issuer: config.jwt.issuer, audience: config.jwt.audience });

async function measure(format: 'ndjson' | 'csv') {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const res = await app.request(`/v1/audit/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (const b of chunk) if (b === 10) lines++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  return { format, bytes, lines, seconds: (performance.now() - t0) / 1000, baseline, peak };
}

const results = [await measure('ndjson'), await measure('csv')];
process.stdout.write(`Ledger of ${total} transactions built in ${(built / 1000).toFixed(1)} s (${join(dir, 'jifen.db')})\n\n`);
process.stdout.write('| format | exported | lines | time | RSS before | peak RSS | growth |\n|---|---|---|---|---|---|---|\n');
for (const r of results) {
  process.stdout.write(`| ${r.format} | ${mb(r.bytes)} | ${r.lines} | ${r.seconds.toFixed(1)} s | ${mb(r.baseline)} | ${mb(r.peak)} | ${mb(r.peak - r.baseline)} |\n`);
}
sqlite.close();
rmSync(dir, { recursive: true, force: true });
