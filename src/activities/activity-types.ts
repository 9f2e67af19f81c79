import { z } from '@hono/zod-openapi';
import type { CompiledQuery } from 'kysely';
import type { Db, Database } from '../db/types.js';
import { callerKey, type Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { notFound } from '../errors.js';
import { formatPoints, NonNegativePoints, PositivePoints } from '../ledger/amount.js';

export const UNITS = ['participation', 'hour', 'report'] as const;

const optionalPoints = PositivePoints.optional();

/** What an admin sends to define (or redefine) an activity type. */
export const ActivityTypeFields = z
  .object({
    name: z.object({ zh: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }).strict(),
    unit: z.enum(UNITS),
    points_per_unit: PositivePoints,
    daily_cap: optionalPoints.openapi({ description: 'Most points one member may earn from this activity per day' }),
    monthly_cap: optionalPoints.openapi({ description: 'Most points one member may earn from this activity per month' }),
    requires_evidence: z.boolean().default(false),
    maker_checker_threshold: NonNegativePoints.optional().openapi({
      description:
        'Claims an organizer records are credited on submission only up to these points; above it a second organizer must approve. Omit for no second check; "0" for always.',
    }),
  })
  .strict();

export type ActivityTypeRow = Database['activity_types'];

/** Compiles version `version` of an activity type; the schema keeps versions contiguous. */
export function defineActivityType(
  db: Db,
  code: string,
  version: number,
  input: z.output<typeof ActivityTypeFields>,
  actor: string,
  now: string,
): { statement: CompiledQuery; row: ActivityTypeRow } {
  const row: ActivityTypeRow = {
    code,
    version,
    name_zh: input.name.zh,
    name_en: input.name.en,
    unit: input.unit,
    points_per_unit: input.points_per_unit,
    daily_cap: input.daily_cap ?? null,
    monthly_cap: input.monthly_cap ?? null,
    requires_evidence: input.requires_evidence ? 1 : 0,
    maker_checker_threshold: input.maker_checker_threshold ?? null,
    created_by: actor,
    created_at: now,
  };
  return { statement: db.insertInto('activity_types').values(row).compile(), row };
}

/** An activity type's code with what an admin sends for it. */
export type ActivityTypeInput = z.output<typeof ActivityTypeFields> & { code: string };

/** Defines a new activity type as its version 1 (the schema refuses a code already defined). */
export async function createActivityType(deps: AppDeps, caller: Caller, input: ActivityTypeInput, idempotency: IdempotencyScope | undefined) {
  const { code, ...fields } = input;
  const { statement, row } = defineActivityType(deps.db, code, 1, fields, callerKey(caller), deps.clock().toISOString());
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 201, activityTypeView);
}

/** Changes an activity type: records the version after its latest; claims keep the version they were priced with. */
export async function changeActivityType(deps: AppDeps, caller: Caller, input: ActivityTypeInput, idempotency: IdempotencyScope | undefined) {
  const { code, ...fields } = input;
  const { db, clock } = deps;
  const current = await currentActivityType(db, code);
  if (!current) throw notFound(`Activity type ${code}`);
  const { statement, row } = defineActivityType(db, code, current.version + 1, fields, callerKey(caller), clock().toISOString());
  return commitWrite(deps, idempotency, () => ({ statements: [statement], result: row }), 200, activityTypeView);
}

/** The latest version of an activity type. */
export function currentActivityType(db: Db, code: string): Promise<ActivityTypeRow | undefined> {
  return db.selectFrom('activity_types').selectAll().where('code', '=', code).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The latest version of every activity type, by code. */
export function currentActivityTypes(db: Db): Promise<ActivityTypeRow[]> {
  return db
    .selectFrom('activity_types as t')
    .selectAll()
    .where(({ eb, selectFrom }) => eb('t.version', '=', selectFrom('activity_types as v').select(({ fn }) => fn.max('v.version').as('m')).whereRef('v.code', '=', 't.code')))
    .orderBy('t.code')
    .execute();
}

/** Every version of an activity type, newest first. */
export function activityTypeHistory(db: Db, code: string): Promise<ActivityTypeRow[]> {
  return db.selectFrom('activity_types').selectAll().where('code', '=', code).orderBy('version', 'desc').execute();
}

/** One version of an activity type. */
export function activityTypeVersion(db: Db, code: string, version: number): Promise<ActivityTypeRow | undefined> {
  return db.selectFrom('activity_types').selectAll().where('code', '=', code).where('version', '=', version).executeTakeFirst();
}

/** An activity type version as the API shows it. */
export function activityTypeView(row: ActivityTypeRow) {
  const points = (v: number | null) => (v === null ? null : formatPoints(v));
  return {
    code: row.code,
    version: row.version,
    name: { zh: row.name_zh, en: row.name_en },
    unit: row.unit,
    points_per_unit: formatPoints(row.points_per_unit),
    daily_cap: points(row.daily_cap),
    monthly_cap: points(row.monthly_cap),
    requires_evidence: row.requires_evidence === 1,
    maker_checker_threshold: points(row.maker_checker_threshold),
    created_by: row.created_by,
    created_at: row.created_at,
  };
}

export const ActivityTypeView = z
  .object({
    code: z.string(),
    version: z.number().int(),
    name: z.object({ zh: z.string(), en: z.string() }),
    unit: z.enum(UNITS),
    points_per_unit: z.string(),
    daily_cap: z.string().nullable(),
    monthly_cap: z.string().nullable(),
    requires_evidence: z.boolean(),
    maker_checker_threshold: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
  })
  .openapi('ActivityType');
