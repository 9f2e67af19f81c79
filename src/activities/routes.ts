import { z } from '@hono/zod-openapi';
import { callerKey } from '../auth/caller.js';
import { badRequest, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { commitWrite } from '../db/write-runner.js';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { findOrg } from '../orgs/orgs.js';
import { ActivityTypeFields, activityTypeHistory, activityTypeView, ActivityTypeView, currentActivityType, currentActivityTypes, defineActivityType } from './activity-types.js';
import { CampaignInput, insertCampaign, latestCampaigns } from './campaigns.js';

const ALL = ['admin', 'auditor', 'organizer', 'merchant', 'worker'] as const;
const Code = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lowercase letters, digits and _, starting with a letter');
const CodeParam = z.object({ code: Code.openapi({ param: { name: 'code', in: 'path' } }) });

const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    multiplier: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    activity_codes: z.array(z.string()).nullable(),
    org_id: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
  })
  .openapi('Campaign');

const createTypeRoute = defineRoute({
  method: 'post',
  path: '/v1/activity-types',
  operationId: 'createActivityType',
  tags: ['Admin'],
  summary: 'Define an activity type (version 1)',
  roles: ['admin'],
  request: { body: jsonBody(ActivityTypeFields.extend({ code: Code }).strict().openapi('ActivityTypeInput')) },
  responses: { 201: jsonResponse(ActivityTypeView, 'The activity type'), ...problemResponses },
});

const updateTypeRoute = defineRoute({
  method: 'put',
  path: '/v1/activity-types/{code}',
  operationId: 'putActivityType',
  tags: ['Admin'],
  summary: 'Change an activity type: records a new version; claims keep the version they were priced with',
  roles: ['admin'],
  request: { params: CodeParam, body: jsonBody(ActivityTypeFields.openapi('ActivityTypeFields')) },
  responses: { 200: jsonResponse(ActivityTypeView, 'The new version'), ...problemResponses },
});

const listTypesRoute = defineRoute({
  method: 'get',
  path: '/v1/activity-types',
  operationId: 'listActivityTypes',
  tags: ['Admin', 'Organizer', 'Worker'],
  summary: 'The current version of every activity type',
  roles: ALL,
  responses: { 200: jsonResponse(z.object({ items: z.array(ActivityTypeView) }), 'Activity types'), ...problemResponses },
});

const typeHistoryRoute = defineRoute({
  method: 'get',
  path: '/v1/activity-types/{code}',
  operationId: 'getActivityType',
  tags: ['Admin', 'Organizer', 'Worker'],
  summary: 'Every version of one activity type, newest first',
  roles: ALL,
  request: { params: CodeParam },
  responses: { 200: jsonResponse(z.object({ items: z.array(ActivityTypeView) }), 'Versions'), ...problemResponses },
});

const createCampaignRoute = defineRoute({
  method: 'post',
  path: '/v1/campaigns',
  operationId: 'createCampaign',
  tags: ['Admin'],
  summary: 'A points multiplier for a time window, optionally for some activities and an org subtree',
  description: 'Campaigns do not stack: the highest multiplier that applies to a claim wins (ties: the earliest campaign).',
  roles: ['admin'],
  request: { body: jsonBody(CampaignInput) },
  responses: { 201: jsonResponse(Campaign, 'The campaign'), ...problemResponses },
});

const listCampaignsRoute = defineRoute({
  method: 'get',
  path: '/v1/campaigns',
  operationId: 'listCampaigns',
  tags: ['Admin', 'Organizer', 'Worker'],
  summary: 'Campaigns, latest first',
  roles: ALL,
  responses: { 200: jsonResponse(z.object({ items: z.array(Campaign) }), 'Campaigns'), ...problemResponses },
});

const campaignView = (row: { activity_codes: string | null } & Omit<z.infer<typeof Campaign>, 'activity_codes'>) => ({
  ...row,
  activity_codes: row.activity_codes ? (JSON.parse(row.activity_codes) as string[]) : null,
});

/** Routes for activity rules and campaigns. */
export function activityRoutes() {
  return newRouter()
    .openapi(createTypeRoute, async (c) => {
      const { code, ...fields } = c.req.valid('json');
      const { db, clock } = c.get('deps');
      const { statement, row } = defineActivityType(db, code, 1, fields, callerKey(c.get('caller')), clock().toISOString());
      const body = await commitWrite(c.get('deps'), c.get('idempotency'), () => ({ statements: [statement], result: row }), 201, activityTypeView);
      return c.json(body, 201);
    })
    .openapi(updateTypeRoute, async (c) => {
      const { code } = c.req.valid('param');
      const { db, clock } = c.get('deps');
      const current = await currentActivityType(db, code);
      if (!current) throw notFound(`Activity type ${code}`);
      const { statement, row } = defineActivityType(db, code, current.version + 1, c.req.valid('json'), callerKey(c.get('caller')), clock().toISOString());
      const body = await commitWrite(c.get('deps'), c.get('idempotency'), () => ({ statements: [statement], result: row }), 200, activityTypeView);
      return c.json(body, 200);
    })
    .openapi(listTypesRoute, async (c) => {
      const rows = await currentActivityTypes(c.get('deps').db);
      return c.json({ items: rows.map(activityTypeView) }, 200);
    })
    .openapi(typeHistoryRoute, async (c) => {
      const { code } = c.req.valid('param');
      const rows = await activityTypeHistory(c.get('deps').db, code);
      if (rows.length === 0) throw notFound(`Activity type ${code}`);
      return c.json({ items: rows.map(activityTypeView) }, 200);
    })
    .openapi(createCampaignRoute, async (c) => {
      const input = c.req.valid('json');
      const { db, clock } = c.get('deps');
      if (input.org_id && !(await findOrg(db, input.org_id))) throw notFound(`Org ${input.org_id}`);
      const row = {
        id: newId('cmp'),
        name: input.name,
        multiplier: input.multiplier,
        starts_at: new Date(input.starts_at).toISOString(),
        ends_at: new Date(input.ends_at).toISOString(),
        activity_codes: input.activity_codes ? JSON.stringify(input.activity_codes) : null,
        org_id: input.org_id ?? null,
        created_by: callerKey(c.get('caller')),
        created_at: clock().toISOString(),
      };
      if (row.ends_at <= row.starts_at) {
        throw badRequest('validation_failed', 'The campaign must end after it starts', [{ path: 'body.ends_at', message: 'must be after starts_at' }]);
      }
      const body = await commitWrite(c.get('deps'), c.get('idempotency'), () => ({ statements: [insertCampaign(db, row)], result: row }), 201, campaignView);
      return c.json(body, 201);
    })
    .openapi(listCampaignsRoute, async (c) => {
      const rows = await latestCampaigns(c.get('deps').db);
      return c.json({ items: rows.map(campaignView) }, 200);
    });
}
