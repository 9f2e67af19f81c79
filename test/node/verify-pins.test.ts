import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { CHECKPOINT_TYPE } from '../../src/audit/checkpoints.js';
import { createServiceSigner, type ServiceSigner } from '../../src/auth/signing.js';
import { exportOf, liveService, ndjson, rechain, runVerify, type LiveService } from '../support/verify-service.js';

let service: LiveService | undefined;
afterEach(() => service?.close());

interface Listed {
  seq: number;
  hash: string;
  issued_at: string;
  jws: string;
  kid: string;
}
const signed = (signer: ServiceSigner, seq: number, hash: string, issued_at: string): Listed => ({
  seq,
  hash,
  issued_at,
  jws: signer.sign({ seq, hash, issued_at }, CHECKPOINT_TYPE),
  kid: signer.kid,
});
const impostor = async () => createServiceSigner(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey));
const listed = async (s: LiveService): Promise<Listed[]> => (await s.h.call('GET', '/v1/audit/checkpoints', { token: s.auditor })).body.items;
const json = (body: unknown) => () => Response.json(body);
const text = (body: string) => () => new Response(body, { headers: { 'content-type': 'application/x-ndjson' } });

/** A service whose seq 2 was rewritten and every later hash recomputed (a self-consistent chain). */
async function rewrittenHistory(s: LiveService) {
  const txs = await exportOf(s.h, s.auditor);
  txs[1]!.memo = 'rewritten';
  const forged = rechain(txs, 2);
  s.overrides.set('/v1/audit/export', text(ndjson(forged)));
  return forged;
}

/** Saves the service's keys and checkpoints as an auditor would, for --pin. */
async function pinNow(s: LiveService) {
  const saved = await runVerify([...s.online, '--save', s.dir]);
  expect(saved.code, saved.out).toBe(0);
}

describe('npm run verify --pin', () => {
  it('passes when the service still publishes the pinned keys and checkpoints, from a directory or from files', async () => {
    const s = (service = await liveService());
    await pinNow(s);
    const fromDir = await runVerify([...s.online, '--pin', s.dir]);
    expect(fromDir.code, fromDir.out).toBe(0);
    expect(fromDir.out).toContain('pinned: 1 key(s) still published, 1 checkpoint(s) still listed unchanged and matched by the history');
    const fromFiles = await runVerify([...s.online, '--pin', join(s.dir, 'jwks.json'), '--pin', join(s.dir, 'checkpoints.json')]);
    expect(fromFiles.code, fromFiles.out).toBe(0);
  });

  it('fails when the service presents another key set, though its checkpoints verify with it', async () => {
    const s = (service = await liveService());
    await pinNow(s);
    const other = await impostor();
    s.overrides.set('/.well-known/jwks.json', json(other.publicJwks()));
    s.overrides.set('/v1/audit/checkpoints', json({ items: (await listed(s)).map((c) => signed(other, c.seq, c.hash, c.issued_at)) }));
    expect((await runVerify(s.online)).code).toBe(0); // taking the service's word for its keys, nothing is amiss
    const pinned = await runVerify([...s.online, '--pin', s.dir]);
    expect(pinned.code, pinned.out).toBe(1);
    expect(pinned.out).toContain(`FAILED at seq -: pinned key ${s.h.deps.signer.kid} is no longer published by the service`);
  });

  it('verifies fetched checkpoints with the pinned keys, not only with the keys the service publishes', async () => {
    const s = (service = await liveService());
    await pinNow(s);
    const other = await impostor();
    const head = (await exportOf(s.h, s.auditor)).at(-1)!;
    const keys = { keys: [...s.h.deps.signer.publicJwks().keys, ...other.publicJwks().keys] };
    s.overrides.set('/.well-known/jwks.json', json(keys));
    s.overrides.set('/v1/audit/checkpoints', json({ items: [...(await listed(s)), signed(other, head.seq, head.hash, s.h.clock.now().toISOString())] }));
    expect((await runVerify(s.online)).code).toBe(0);
    const pinned = await runVerify([...s.online, '--pin', s.dir]);
    expect(pinned.code, pinned.out).toBe(1);
    expect(pinned.out).toMatch(/checkpoint at seq 6 \(issued \S+\) does not verify with the pinned keys/);
  });

  it('fails when the service rewrote history and re-signed its checkpoint list, and then does not overwrite the pins', async () => {
    const s = (service = await liveService());
    await pinNow(s);
    const before = readFileSync(join(s.dir, 'checkpoints.json'), 'utf8');
    const forged = await rewrittenHistory(s);
    const [pinnedCheckpoint] = await listed(s);
    s.overrides.set('/v1/audit/checkpoints', json({ items: [signed(s.h.deps.signer, 4, forged[3]!.hash, pinnedCheckpoint!.issued_at)] }));
    expect((await runVerify(s.online)).code).toBe(0); // the same key signed the forgery: only a pin catches it
    const pinned = await runVerify([...s.online, '--pin', s.dir, '--save', s.dir]);
    expect(pinned.code, pinned.out).toBe(1);
    expect(pinned.out).toContain(`pinned checkpoint at seq 4 (issued ${pinnedCheckpoint!.issued_at}) is different in the service's list`);
    expect(readFileSync(join(s.dir, 'checkpoints.json'), 'utf8')).toBe(before);

    s.overrides.set('/v1/audit/checkpoints', json({ items: [signed(s.h.deps.signer, 6, forged[5]!.hash, s.h.clock.now().toISOString())] }));
    const dropped = await runVerify([...s.online, '--pin', s.dir]);
    expect(dropped.code, dropped.out).toBe(1);
    expect(dropped.out).toContain(`pinned checkpoint at seq 4 (issued ${pinnedCheckpoint!.issued_at}) is missing from the service's list`);
  });

  it('fails when the history no longer hashes to a pinned checkpoint, online and offline', async () => {
    const s = (service = await liveService());
    await pinNow(s);
    const forged = await rewrittenHistory(s);
    const pinned = await runVerify([...s.online, '--pin', s.dir]);
    expect(pinned.code, pinned.out).toBe(1);
    expect(pinned.out).toContain('FAILED at seq 4: the history no longer hashes to the pinned checkpoint at seq 4');
    writeFileSync(join(s.dir, 'forged.ndjson'), ndjson(forged));
    const files = ['--file', join(s.dir, 'forged.ndjson'), '--checkpoints', join(s.dir, 'checkpoints.json'), '--jwks', join(s.dir, 'jwks.json')];
    const offline = await runVerify([...files, '--pin', s.dir]);
    expect(offline.code, offline.out).toBe(1);
    expect(offline.out).toContain('FAILED at seq 4: the history no longer hashes to the pinned checkpoint at seq 4');
  });
});
