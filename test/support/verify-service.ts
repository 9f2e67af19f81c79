// A live service for the `npm run verify` tests: served over HTTP, with
// answers that a test can replace (what a lying operator would present).
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createHarness } from '#harness';
import type { Harness } from './harness-core.js';
import { adjust, allocate, member, programme } from './fixtures.js';
import type { ExportedTransaction } from '../../src/audit/export.js';
import { parsePoints } from '../../src/ledger/amount.js';
import { GENESIS_HASH, hashTransaction } from '../../src/ledger/hash.js';

const root = new URL('../../', import.meta.url).pathname;

/** Runs `npm run verify` with these arguments; resolves with its exit code and everything it printed. */
export function runVerify(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/verify.ts', ...args], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** A served harness; `overrides` answer in the service's place on their paths. */
export interface LiveService {
  h: Harness;
  auditor: string;
  /** A fresh scratch directory, removed by close(). */
  dir: string;
  /** `--url … --token …` for this service. */
  online: string[];
  overrides: Map<string, () => Response>;
  close(): void;
}

/**
 * A service with six transactions and a signed checkpoint at seq 4 (seq 5
 * and 6 come after it), served on a free port.
 */
export async function liveService(): Promise<LiveService> {
  const h = await createHarness();
  const p = await programme(h);
  await allocate(h, p.admin, p.community.id, '100');
  const m = await member(h, p.admin, p.community.id);
  for (let i = 1; i <= 3; i++) await adjust(h, p.admin, [[p.community.budget_account_id, `-${i}`], [m.account_id, `${i}`]], `积分 ${i}`);
  expect((await h.call('POST', '/v1/audit/checkpoints', { token: p.admin })).status).toBe(201);
  h.clock.advance(1_000);
  for (let i = 4; i <= 5; i++) await adjust(h, p.admin, [[p.community.budget_account_id, `-${i}`], [m.account_id, `${i}`]], `积分 ${i}`);
  const overrides = new Map<string, () => Response>();
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    const fetch = (req: Request) => overrides.get(new URL(req.url).pathname)?.() ?? h.app.fetch(req);
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  const dir = mkdtempSync(join(tmpdir(), 'jifen-verify-'));
  const auditor = await h.token('auditor');
  return {
    h,
    auditor,
    dir,
    online: ['--url', `http://127.0.0.1:${port}`, '--token', auditor],
    overrides,
    close() {
      server?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The service's whole export, parsed. */
export async function exportOf(h: Harness, auditor: string): Promise<ExportedTransaction[]> {
  const res = await h.call('GET', '/v1/audit/export?format=ndjson', { token: auditor });
  return res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportedTransaction);
}

/** Recomputes every prev_hash and hash from `fromSeq` on, as a forger would to keep the chain self-consistent. */
export function rechain(txs: ExportedTransaction[], fromSeq: number): ExportedTransaction[] {
  let prev = GENESIS_HASH;
  return txs.map((tx) => {
    if (tx.seq < fromSeq) {
      prev = tx.hash;
      return tx;
    }
    const hash = hashTransaction(prev, { ...tx, postings: tx.postings.map((x) => ({ account_id: x.account_id, amount: parsePoints(x.amount) })) });
    const out = { ...tx, prev_hash: prev, hash };
    prev = hash;
    return out;
  });
}

/** NDJSON of an export. */
export const ndjson = (txs: ExportedTransaction[]) => txs.map((t) => `${JSON.stringify(t)}\n`).join('');
