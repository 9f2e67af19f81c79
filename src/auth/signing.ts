import { calculateJwkThumbprint, CompactSign, importJWK, type JSONWebKeySet, type JWK } from 'jose';

/** The service's own EdDSA key: signs receipts and checkpoints, published as a JWKS. */
export interface ServiceSigner {
  readonly kid: string;
  /** A compact JWS over the JSON of `payload`. */
  sign(payload: unknown, type: string): Promise<string>;
  /** The public half, for `/.well-known/jwks.json`. */
  publicJwks(): JSONWebKeySet;
}

/** Loads an Ed25519 private JWK (with `d`) as the service signer. */
export async function createServiceSigner(privateJwk: JWK): Promise<ServiceSigner> {
  if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || !privateJwk.d) {
    throw new Error('the signing key must be an Ed25519 private JWK (kty OKP, crv Ed25519, with d)');
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const key = await importJWK({ ...privateJwk, alg: 'EdDSA' }, 'EdDSA');
  const published = { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' };
  const encoder = new TextEncoder();
  return {
    kid,
    sign: (payload, type) =>
      new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid, typ: type }).sign(key),
    publicJwks: () => ({ keys: [published] }),
  };
}
