import { createRoute, z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonResponse, newRouter, PageQuery, problemResponses } from '../http/router.js';
import { AppError } from '../errors.js';
import { certificatePage, certificatePrintPage } from '../pages/certificate-page.js';
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.js';
import { publicOrigin } from '../deps.js';
import { certificateRegister, issueCertificates, myCertificates, publicCertificate, revokeCertificate, type PublicCertificate } from './certificates.js';

const Instant = z.iso.datetime({ offset: true });
const PeriodBound = z.union([Instant, z.iso.date()]).openapi({
  description: 'An instant, or a programme day (YYYY-MM-DD, in JIFEN_UTC_OFFSET): `from` starts at its midnight, `to` includes the whole day',
  example: '2026-01-01',
});
const Period = z
  .object({ from: z.string(), to: z.string(), first_day: z.string(), last_day: z.string() })
  .openapi({ description: 'Service done in [from, to), and the programme days that covers (first and last, inclusive)' });
const Hours = z.string().openapi({ description: 'Hours as a decimal string with two decimals', example: '12.50' });
const NumberParam = z.object({
  number: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/).openapi({ param: { name: 'number', in: 'path' }, description: "The certificate's number, as printed on it" }),
});

const CertificateContent = z
  .object({
    iss: z.literal('jifen'),
    number: z.string(),
    issuing_org: z.object({ id: z.string(), name: z.string() }),
    member: z.object({ member_no: z.number().int().nullable(), name: z.string().nullable() }),
    period: z
      .object({ from: z.string(), to: z.string(), first_day: z.string().optional(), last_day: z.string().optional() })
      .openapi({ description: 'Service done in [from, to), and the programme days that covers' }),
    hours_by_activity: z.array(z.object({ activity_code: z.string(), name_zh: z.string(), name_en: z.string(), hours: Hours })),
    total_hours: Hours,
    level: z.number().int().openapi({ description: "The member's level (星级) by all its hours to date, when issued" }),
    issued_at: z.string(),
    ledger_seq: z.number().int().openapi({ description: 'The ledger head seq the figures were drawn at' }),
  })
  .openapi('CertificateContent');

const Issued = z
  .object({
    certificates: z.array(
      z.object({
        number: z.string(),
        jws: z.string().openapi({ description: 'Compact JWS (EdDSA, typ jifen-certificate+jwt) over the content; verify with /.well-known/jwks.json' }),
        url: z.string().openapi({ description: 'The public verification page' }),
      }),
    ),
  })
  .openapi('IssuedCertificates');

const issueRoute = defineRoute({
  method: 'post',
  path: '/v1/me/certificates',
  operationId: 'issueMyCertificates',
  tags: ['Worker'],
  summary: 'Certificates of the caller’s service hours in a period (志愿服务记录证明): one per org that recorded them, signed',
  description:
    'Each org that recorded hours of the worker in [from, to) issues one certificate, numbered from its register: the member’s name and number, hours by activity, the period, the org, the date, the level and the ledger seq the figures were drawn at. A period without hours is refused.',
  roles: ['worker'],
  request: { body: jsonBody(z.object({ from: PeriodBound, to: PeriodBound }).strict().openapi('CertificateRequest')) },
  responses: { 201: jsonResponse(Issued, 'The certificates issued'), ...problemResponses },
});

const CertificatePage = z
  .object({
    items: z.array(
      z.object({
        number: z.string(),
        register_no: z.string().openapi({ description: "Its place in the issuing org's register, as printed (证字第 … 号)" }),
        org_id: z.string(),
        org_name: z.string(),
        member_id: z.string(),
        member_no: z.number().int().nullable(),
        member_name: z.string().nullable(),
        period: Period,
        total_hours: Hours,
        issued_at: z.string(),
        revoked: z.boolean(),
        revoked_reason: z.string().nullable(),
        url: z.string(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('CertificatePage');

const mineRoute = defineRoute({
  method: 'get',
  path: '/v1/me/certificates',
  operationId: 'listMyCertificates',
  tags: ['Worker'],
  summary: 'The caller’s own certificates, newest first, revoked ones marked',
  roles: ['worker'],
  request: { query: z.object(PageQuery) },
  responses: { 200: jsonResponse(CertificatePage, 'A page of the caller’s certificates'), ...problemResponses },
});

const registerRoute = defineRoute({
  method: 'get',
  path: '/v1/certificates',
  operationId: 'listCertificates',
  tags: ['Audit'],
  summary: 'The register of certificates, newest first (admins and auditors)',
  roles: ['admin', 'auditor'],
  request: { query: z.object({ org_id: z.string().min(1).max(200).optional().openapi({ description: 'Only certificates issued by this org and the orgs under it' }), ...PageQuery }) },
  responses: {
    200: jsonResponse(CertificatePage, 'A page of the register'),
    ...problemResponses,
  },
});

const revokeRoute = defineRoute({
  method: 'post',
  path: '/v1/certificates/{number}/revoke',
  operationId: 'revokeCertificate',
  tags: ['Organizer', 'Admin'],
  summary: 'Revoke a certificate, with a reason (admins, organizers of the issuing org’s subtree)',
  roles: ['admin', 'organizer'],
  request: { params: NumberParam, body: jsonBody(z.object({ reason: z.string().trim().min(3).max(500) }).strict()) },
  responses: {
    200: jsonResponse(z.object({ number: z.string(), revoked: z.literal(true), revoked_reason: z.string(), revoked_at: z.string() }).openapi('CertificateRevocation'), 'The revocation'),
    ...problemResponses,
  },
});

const publicRoute = createRoute({
  method: 'get',
  path: '/v1/public/certificates/{number}',
  operationId: 'verifyCertificate',
  tags: ['Service'],
  summary: 'Whether a certificate is authentic and in force, and exactly what it certifies (no token)',
  description:
    '`valid` when its signature verifies with the service key and it is not revoked; `revoked` (with `revoked_reason`) when revoked by hand or because hours it certifies were revoked since ("hours revoked"). Nothing else about the member is shown.',
  security: [],
  request: { params: NumberParam },
  responses: {
    200: jsonResponse(
      z.object({ valid: z.boolean(), revoked: z.boolean(), revoked_reason: z.string().optional(), content: CertificateContent }).openapi('PublicCertificate'),
      'The certificate',
    ),
    400: problemResponses[400],
    404: problemResponses[404],
    405: problemResponses[405],
  },
});

/** A public page of the certificate named in the path; an unknown number gets the not-found page. */
function shown(render: (c: Context<AppEnv>, number: string, view: PublicCertificate) => Response | Promise<Response>) {
  return async (c: Context<AppEnv>) => {
    const number = c.req.param('number')!;
    try {
      return await render(c, number, await publicCertificate(c.get('deps'), number));
    } catch (error) {
      if (error instanceof AppError && error.code === 'certificate_not_found') return certificatePage(c, number, undefined);
      throw error;
    }
  };
}

/** Service-record certificates: issuing, the register, revocation and the public check. */
export function certificateRoutes() {
  return newRouter()
    .openapi(issueRoute, async (c) => c.json(await issueCertificates(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(mineRoute, async (c) => c.json(await myCertificates(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(registerRoute, async (c) => c.json(await certificateRegister(c.get('deps'), c.get('caller'), c.req.valid('query')), 200))
    .openapi(revokeRoute, async (c) =>
      c.json(await revokeCertificate(c.get('deps'), c.get('caller'), c.req.valid('param').number, c.req.valid('json').reason, c.get('idempotency')), 200),
    )
    .openapi(publicRoute, async (c) => c.json(await publicCertificate(c.get('deps'), c.req.valid('param').number), 200))
    // The page anyone opens from the certificate's QR code: no token, the same check in words.
    .get('/verify/certificates/:number', shown((c, number, view) => certificatePage(c, number, view)))
    // The same certificate as an A4 sheet to print, its QR code pointing at the page above.
    .get(
      '/verify/certificates/:number/print',
      shown((c, number, view) => certificatePrintPage(c, number, view, publicOrigin(c.get('deps'), new URL(c.req.url).origin))),
    );
}
