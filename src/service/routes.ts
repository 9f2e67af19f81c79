import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { lastSeq } from '../ledger/read.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['Service'],
  summary: 'Liveness and the chain head',
  security: [],
  responses: {
    200: jsonResponse(
      z.object({ status: z.literal('ok'), backend: z.string(), head_seq: z.number().int(), time: z.string() }).openapi('Health'),
      'The service is up',
    ),
    405: problemResponses[405],
  },
});

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'getJwks',
  tags: ['Service'],
  summary: 'Public keys that sign receipts and checkpoints (EdDSA)',
  security: [],
  responses: {
    200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('JWKS'), 'The key set'),
    405: problemResponses[405],
  },
});

/** Unauthenticated service routes. */
export function serviceRoutes() {
  return newRouter()
    .openapi(healthRoute, async (c) => {
      const { db, clock, backend } = c.get('deps');
      const head = await lastSeq(db);
      return c.json({ status: 'ok' as const, backend, head_seq: head, time: clock().toISOString() }, 200);
    })
    .openapi(jwksRoute, (c) => c.json(c.get('deps').signer.publicJwks() as { keys: Array<Record<string, unknown>> }, 200));
}
