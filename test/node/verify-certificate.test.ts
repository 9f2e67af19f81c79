import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '#harness';
import { redemptionProgramme } from '../support/redemption.js';
import { runVerify } from '../support/verify-service.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('npm run verify -- --certificate', () => {
  it('passes a certificate the service signed and fails a tampered one, offline with the published keys', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const at = (ms: number) => new Date(h.clock.now().getTime() - ms).toISOString();
    const claim = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: r.riders[0]!.id, activity_code: 'volunteer_hour', units: '2', occurred_at: at(60_000) } });
    expect(claim.status, claim.text).toBe(201);
    const issued = await h.call('POST', '/v1/me/certificates', { token: await r.workerToken(0), body: { from: at(86_400_000), to: at(-60_000) } });
    expect(issued.status, issued.text).toBe(201);
    const { number, jws } = issued.body.certificates[0] as { number: string; jws: string };
    dir = mkdtempSync(join(tmpdir(), 'jifen-certificate-'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify((await h.call('GET', '/.well-known/jwks.json')).body));
    writeFileSync(join(dir, 'certificate.jws'), `${jws}\n`);
    writeFileSync(join(dir, 'answer.json'), JSON.stringify(issued.body));
    const args = (file: string) => ['--certificate', join(dir!, file), '--jwks', join(dir!, 'jwks.json')];

    const good = await runVerify(args('certificate.jws'));
    expect(good.code, good.out).toBe(0);
    expect(good.out).toContain(`OK: certificate ${number} is signed`);
    expect(good.out).toContain('"total_hours": "2.00"');
    expect((await runVerify(args('answer.json'))).code).toBe(0);

    // The hours raised from 2 to 9 in the signed content: the signature no longer holds.
    const [header, body, signature] = jws.split('.') as [string, string, string];
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString('utf8').replace('"2.00"', '"9.00"')).toString('base64url');
    expect(forged).not.toBe(body);
    writeFileSync(join(dir, 'tampered.jws'), `${header}.${forged}.${signature}`);
    const tampered = await runVerify(args('tampered.jws'));
    expect(tampered.code, tampered.out).toBe(1);
    expect(tampered.out).toContain('FAILED: the certificate does not verify');
  }, 60_000);
});
