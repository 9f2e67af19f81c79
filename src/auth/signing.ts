import { ed25519 } from '@noble/curves/ed25519.js';
import { calculateJwkThumbprint, base64url, type JSONWebKeySet, type JWK } from 'jose';

/** The service's own EdDSA key: signs receipts and checkpoints, published as a JWKS. */
export interface ServiceSigner {
  readonly kid: string;
  /**
   * A compact JWS (EdDSA) over the JSON of `payload`. Synchronous, so a
   * receipt naming the transaction's seq and hash can be signed while the
   * write that creates them is being built.
   */
  sign(payload: unknown, type: string): string;
  /** The public half, for `/.well-known/jwks.json`. */
  publicJwks(): JSONWebKeySet;
}

/** Loads an Ed25519 private JWK (with `d`) as the service signer. */
export async function createServiceSigner(privateJwk: JWK): Promise<ServiceSigner> {
  if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || !privateJwk.d || !privateJwk.x) {
    throw new Error('the signing key must be an Ed25519 private JWK (kty OKP, crv Ed25519, with d and x)');
  }
  const { d, ...publicJwk } = privateJwk;
  const secret = base64url.decode(d);
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const published = { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, kid, alg: 'EdDSA', use: 'sig' };
  const encoder = new TextEncoder();
  return {
    kid,
    sign(payload, type) {
      const header = base64url.encode(JSON.stringify({ alg: 'EdDSA', kid, typ: type }));
      const body = base64url.encode(JSON.stringify(payload));
      const signature = ed25519.sign(encoder.encode(`${header}.${body}`), secret);
      return `${header}.${body}.${base64url.encode(signature)}`;
    },
    publicJwks: () => ({ keys: [published] }),
  };
}
