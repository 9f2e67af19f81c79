import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { notFound, refuse } from './errors.js';
import type { AppDeps } from './deps.js';
import { handleError, problemResponse } from './http/problem.js';
import { WRITE_METHODS } from './http/idempotency.js';
import { newRouter } from './http/router.js';
import { docsRoutes, type DocsAssets } from './http/docs.js';
import { textGuard } from './http/text-guard.js';
import { accountRoutes } from './accounts/routes.js';
import { merchantRoutes } from './rewards/merchant-routes.js';
import { settlementRoutes } from './rewards/settlement-routes.js';
import { merchantListRoutes } from './rewards/merchant-list-routes.js';
import { redemptionRoutes } from './rewards/redemption-routes.js';
import { myRedemptionRoutes } from './rewards/my-redemptions.js';
import { browseRoutes } from './rewards/browse-routes.js';
import { cardAndHoldRoutes } from './rewards/card-hold-routes.js';
import { activityRoutes } from './activities/routes.js';
import { claimRoutes } from './claims/routes.js';
import { eventRoutes } from './events/routes.js';
import { attendanceRoutes } from './attendance/routes.js';
import { adjustmentRoutes } from './adjustments/routes.js';
import { auditRoutes } from './audit/routes.js';
import { recognitionRoutes } from './audit/recognition-routes.js';
import { budgetRoutes } from './budgets/routes.js';
import { memberRoutes } from './members/routes.js';
import { hoursRoutes } from './hours/routes.js';
import { certificateRoutes } from './certificates/routes.js';
import { IMPORT_BODY_LIMIT, isSheetImport } from './members/import.js';
import { enrolmentRoutes } from './enrolment/routes.js';
import { evidenceRoutes } from './evidence/routes.js';
import { EVIDENCE_MAX_BYTES, isEvidenceUpload } from './evidence/limits.js';
import { orgRoutes } from './orgs/routes.js';
import { serviceRoutes } from './service/routes.js';
import { pageRoutes } from './pages/routes.js';
import type { PageScripts } from './pages/page-scripts.js';

/** The API's version, shown by /health and /openapi.json. */
export const API_VERSION = '0.1.0';

/** The operation groups of /openapi.json, by the role that mostly calls them. */
const API_TAGS = [
  { name: 'Service', description: 'Liveness and public keys; no token needed' },
  { name: 'Admin', description: 'Programme set-up: orgs, members, activity types, campaigns, budgets, merchants, settlements' },
  { name: 'Enrolment', description: 'One-time sign-in codes for members (admins, organizers in scope) and their exchange for a session (no token)' },
  { name: 'Organizer', description: 'Events and the claims of their workers' },
  { name: 'Worker', description: 'A member’s own claims, points, holds, cards and redemptions' },
  { name: 'Merchant', description: 'Rewards, redemptions, card uses and hold captures at a merchant' },
  { name: 'Ledger', description: 'Accounts, their entries and balances, and transactions' },
  { name: 'Audit', description: 'Trial balance, chain verification, checkpoints, export and reports' },
  { name: 'Recognition', description: 'Leaderboards' },
];

/**
 * Builds the Jifen HTTP app over its dependencies. Imports nothing
 * runtime-specific: the Node and Workers entries pass their database,
 * executor, keys and clock in.
 * `docsAssets` are Swagger UI's files for /docs, and `pageScripts` the pages'
 * bundled browser scripts, which each entry reads its own way.
 * @example const app = createApp(deps); const res = await app.request('/health');
 */
export function createApp(deps: AppDeps, options: { docsAssets?: DocsAssets; pageScripts?: PageScripts } = {}) {
  const app = newRouter();

  app.use(requestId({ limitLength: 64 }));
  app.use(async (c, next) => {
    c.set('deps', deps);
    const started = performance.now();
    await next();
    deps.log.info({
      msg: 'request',
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      request_id: c.get('requestId'),
      role: c.get('caller')?.role ?? null,
    });
  });
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (_c, methods) => {
        return problemResponse(refuse('method_not_allowed', `Allowed: ${methods.join(', ')}`, { headers: { Allow: methods.join(', ') } }));
      },
    }),
  );
  app.use('/v1/*', async (c, next) => {
    const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding') !== undefined;
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && (hasBody || c.req.header('content-type'))) {
      const type = c.req.header('content-type') ?? '';
      // The bodies that are not JSON, a members spreadsheet and an evidence image, are checked by their routes, after the caller's token.
      const ownType = isSheetImport(c.req.method, c.req.path) || isEvidenceUpload(c.req.method, c.req.path);
      if (!ownType && !/^application\/json\s*(;|$)/i.test(type)) {
        throw refuse('unsupported_media_type');
      }
    }
    await next();
  });
  const tooLarge = () => refuse('payload_too_large', `Request bodies are limited to ${deps.bodyLimit} bytes`);
  const limitBody = bodyLimit({
    maxSize: deps.bodyLimit,
    onError: () => {
      throw tooLarge();
    },
  });
  // Only on writes, the requests whose body is read. A declared Content-Length is checked as it stands
  // (the HTTP parser delivers no more than it declares); only a streamed body is counted as it arrives.
  // Hono's middleware would first look for a body, which makes @hono/node-server build a full fetch
  // Request (with its AbortSignal and stream): a read paid a third of its time for that, a write nearly as much.
  const limitSheet = bodyLimit({
    maxSize: IMPORT_BODY_LIMIT,
    onError: () => {
      throw refuse('payload_too_large', `A members import is limited to ${IMPORT_BODY_LIMIT} bytes`);
    },
  });
  const limitEvidence = bodyLimit({
    maxSize: EVIDENCE_MAX_BYTES,
    onError: () => {
      throw refuse('evidence_too_large');
    },
  });
  app.use('/v1/*', (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    if (isSheetImport(c.req.method, c.req.path)) return limitSheet(c, next);
    if (isEvidenceUpload(c.req.method, c.req.path)) return limitEvidence(c, next);
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitBody(c, next);
    if (Number(length) > deps.bodyLimit) throw tooLarge();
    return next();
  });
  app.use('/v1/*', textGuard());

  app.route('/', serviceRoutes());
  app.route('/', orgRoutes());
  app.route('/', memberRoutes());
  app.route('/', hoursRoutes());
  app.route('/', certificateRoutes());
  app.route('/', enrolmentRoutes());
  app.route('/', budgetRoutes());
  app.route('/', adjustmentRoutes());
  app.route('/', activityRoutes());
  app.route('/', eventRoutes());
  app.route('/', attendanceRoutes());
  app.route('/', claimRoutes());
  app.route('/', evidenceRoutes());
  app.route('/', merchantRoutes());
  app.route('/', settlementRoutes());
  app.route('/', merchantListRoutes());
  app.route('/', redemptionRoutes());
  app.route('/', myRedemptionRoutes());
  app.route('/', cardAndHoldRoutes());
  app.route('/', browseRoutes());
  app.route('/', accountRoutes());
  app.route('/', auditRoutes());
  app.route('/', recognitionRoutes());
  app.route('/', pageRoutes(options.pageScripts));
  // Someone who opens the service's address in a browser lands on the pages, not on a JSON 404.
  app.get('/', (c) => c.redirect('/app', 302));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  // The document is the same for the app's whole life: built once, on first request.
  let openapi: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/openapi.json', (c) =>
    c.json(
      (openapi ??= app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Jifen points ledger',
          version: API_VERSION,
          description: 'Append-only, double-entry ledger of community-service points. Errors are application/problem+json.',
          // A city runs the programme on its own servers: Apache-2.0 lets it (LICENSE).
          license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
        },
        // Relative: the document describes the server that serves it.
        servers: [{ url: '/', description: 'This server' }],
        tags: API_TAGS,
      })),
    ),
  );
  app.route('/', docsRoutes(options.docsAssets));

  app.notFound((c) => problemResponse(notFound(`${c.req.method} ${c.req.path}`), c.get('requestId')));
  app.onError((error, c) =>
    handleError(error, c, (e) =>
      deps.log.error({ msg: 'unhandled error', request_id: c.get('requestId'), error: e.name, detail: e.message, stack: e.stack }),
    ),
  );
  return app;
}

export type JifenApp = ReturnType<typeof createApp>;
