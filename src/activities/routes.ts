import { z } from '@hono/zod-openapi';
import { notFound } from '../errors.js';
import { defineRoute, jsonBody, jsonResponse, newRouter, problemResponses } from '../http/router.js';
import { ActivityTypeFields, activityTypeHistory, activityTypeView, ActivityTypeView, changeActivityType, createActivityType, currentActivityTypes } from './activity-types.js';
import { CampaignInput, campaignView, createCampaign, latestCampaigns } from './campaigns.js';

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

/** Routes for activity rules and campaigns. */
export function activityRoutes() {
  return newRouter()
    .openapi(createTypeRoute, async (c) => c.json(await createActivityType(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(updateTypeRoute, async (c) => {
      const input = { ...c.req.valid('json'), code: c.req.valid('param').code };
      return c.json(await changeActivityType(c.get('deps'), c.get('caller'), input, c.get('idempotency')), 200);
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
    .openapi(createCampaignRoute, async (c) => c.json(await createCampaign(c.get('deps'), c.get('caller'), c.req.valid('json'), c.get('idempotency')), 201))
    .openapi(listCampaignsRoute, async (c) => {
      const rows = await latestCampaigns(c.get('deps').db);
      return c.json({ items: rows.map(campaignView) }, 200);
    });
}
