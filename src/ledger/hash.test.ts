import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalTransaction, hashTransaction, sha256Hex, GENESIS_HASH } from './hash.js';

describe('sha256Hex', () => {
  it('gives the FIPS 180-2 answers and hashes text as UTF-8', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('湘潭 🛵\u2028')).toBe(createHash('sha256').update(Buffer.from('湘潭 🛵\u2028', 'utf8')).digest('hex'));
  });

  it('chains a transaction over the previous hash and its canonical bytes, postings by account', () => {
    const tx = {
      seq: 1, id: 'tx_1', kind: 'adjustment', actor: 'admin:a', memo: null, ref_type: null, ref_id: null, reverses_id: null,
      created_at: '2026-11-28T00:00:00.000Z',
      postings: [{ account_id: 'worker:b', amount: 100 }, { account_id: 'program:issuance', amount: -100 }],
    };
    expect(canonicalTransaction(tx)).toBe('[1,"tx_1","adjustment","admin:a",null,null,null,null,"2026-11-28T00:00:00.000Z",[["program:issuance",-100],["worker:b",100]]]');
    expect(hashTransaction(GENESIS_HASH, tx)).toBe(createHash('sha256').update(`${GENESIS_HASH}\n${canonicalTransaction(tx)}`).digest('hex'));
  });
});
