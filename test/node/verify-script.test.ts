import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportedTransaction } from '../../src/audit/export.js';
import { formatPoints, parsePoints } from '../../src/ledger/amount.js';
import { exportOf, liveService, ndjson, rechain, runVerify, type LiveService } from '../support/verify-service.js';

let service: LiveService | undefined;
afterEach(() => service?.close());

const readSaved = (at: string) => readFileSync(join(at, 'export.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportedTransaction);
const offline = (at: string) => ['--file', join(at, 'tampered.ndjson'), '--checkpoints', join(at, 'checkpoints.json'), '--jwks', join(at, 'jwks.json')];
/** Writes a tampered copy of the saved export and verifies it offline against the saved checkpoints and keys. */
async function verifyTampered(at: string, txs: ExportedTransaction[]) {
  writeFileSync(join(at, 'tampered.ndjson'), ndjson(txs));
  return runVerify(offline(at));
}
/** The JSON report the script printed before its verdict line. */
const reportOf = (out: string) => JSON.parse(out.slice(0, out.indexOf('\n}\n') + 2));

describe('npm run verify', () => {
  it('checks a live service and a saved export, and says which seqs a signature covers and which only the chain', async () => {
    const s = (service = await liveService());
    const online = await runVerify([...s.online, '--save', s.dir]);
    expect(online.code, online.out).toBe(0);
    expect(online.out).toContain('OK: 6 transactions checked');
    expect(online.out).toContain('seq 1..4: hash to 1 signed checkpoint(s), the latest at seq 4');
    expect(online.out).toContain('seq 5..6: checked for internal consistency only; not yet covered by any signed checkpoint');
    expect(reportOf(online.out)).toMatchObject({ ok: true, checked: 6, head_seq: 6, signed: { from_seq: 1, to_seq: 4 }, chain_only: { from_seq: 5, to_seq: 6 } });
    expect(readSaved(s.dir).map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);

    const untouched = await verifyTampered(s.dir, readSaved(s.dir));
    expect(untouched.code, untouched.out).toBe(0);
    const txs = readSaved(s.dir);
    txs[2]!.postings[0]!.amount = txs[2]!.postings[0]!.amount.startsWith('-') ? '-99.00' : '99.00';
    const tampered = await verifyTampered(s.dir, txs);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('FAILED at seq 3');
  });

  it('checks the transactions after the latest checkpoint too, and says a rechained rewrite there is not signed', async () => {
    const s = (service = await liveService());
    expect((await runVerify([...s.online, '--save', s.dir])).code).toBe(0);
    // Tampered copies of the service's own whole export, checked against the saved checkpoints and keys.
    const memo = (txs: ExportedTransaction[]) => ((txs[4]!.memo = 'rewritten'), txs);

    const notRechained = await verifyTampered(s.dir, memo(await exportOf(s.h, s.auditor)));
    expect(notRechained.code, notRechained.out).toBe(1);
    expect(notRechained.out).toContain('FAILED at seq 5: hash does not match the transaction');

    const rechained = await verifyTampered(s.dir, rechain(memo(await exportOf(s.h, s.auditor)), 5));
    expect(rechained.code, rechained.out).toBe(0);
    expect(rechained.out).toContain('seq 5..6: checked for internal consistency only; not yet covered by any signed checkpoint, a forger who recomputes the chain could have rewritten it');
    expect(reportOf(rechained.out)).toMatchObject({ signed: { from_seq: 1, to_seq: 4 }, chain_only: { from_seq: 5, to_seq: 6 } });

    // Both legs changed alike: still balanced, but the running balances no longer follow.
    const both = await exportOf(s.h, s.auditor);
    for (const leg of both[4]!.postings) leg.amount = leg.amount.startsWith('-') ? '-40.00' : '40.00';
    const running = await verifyTampered(s.dir, rechain(both, 5));
    expect(running.code, running.out).toBe(1);
    expect(running.out).toMatch(/FAILED at seq 5: running balance of \S+ is \S+, but the previous one plus the amount is/);

    const one = await exportOf(s.h, s.auditor);
    one[4]!.postings[0]!.amount = one[4]!.postings[0]!.amount.startsWith('-') ? '-40.00' : '40.00';
    const unbalanced = await verifyTampered(s.dir, rechain(one, 5));
    expect(unbalanced.code, unbalanced.out).toBe(1);
    expect(unbalanced.out).toMatch(/FAILED at seq 5: postings sum to -?\d+\.\d\d, not zero/);

    const twice = await exportOf(s.h, s.auditor);
    twice[5]!.postings[1]!.account_id = twice[5]!.postings[0]!.account_id;
    const sameAccount = await verifyTampered(s.dir, rechain(twice, 6));
    expect(sameAccount.code, sameAccount.out).toBe(1);
    expect(sameAccount.out).toMatch(/FAILED at seq 6: account \S+ is posted twice/);

    const single = await exportOf(s.h, s.auditor);
    single[5]!.postings = single[5]!.postings.slice(0, 1);
    const oneLeg = await verifyTampered(s.dir, rechain(single, 6));
    expect(oneLeg.code, oneLeg.out).toBe(1);
    expect(oneLeg.out).toContain('FAILED at seq 6: fewer than two postings');
  });

  it('catches a running balance that does not follow, which no hash covers', async () => {
    const s = (service = await liveService());
    expect((await runVerify([...s.online, '--save', s.dir])).code).toBe(0);
    const txs = readSaved(s.dir);
    const leg = txs[2]!.postings[0]!;
    leg.balance_after = formatPoints(parsePoints(leg.balance_after) + 100);
    const tampered = await verifyTampered(s.dir, txs);
    expect(tampered.code, tampered.out).toBe(1);
    expect(tampered.out).toContain(`FAILED at seq 3: running balance of ${leg.account_id} is ${leg.balance_after}`);
  });
});
