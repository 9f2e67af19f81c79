import { z } from 'zod';
import { DEFAULT_HOURS_LEVELS, readHoursLevels } from '../hours/levels.js';
import { parsePoints } from '../ledger/points.js';

const jsonObject = (what: string) =>
  z.string().transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object') return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: `must be ${what} as JSON` });
    return z.NEVER;
  });

/**
 * Every setting of the service, from environment variables (Node) or
 * bindings and secrets (Workers). Nothing else reads the environment.
 */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  JIFEN_DATA_DIR: z.string().min(1).default('./data'),
  JIFEN_DB_PATH: z.string().min(1).optional(),
  // PostgreSQL instead of the embedded database (Node only): postgres://user:password@host:port/database.
  JIFEN_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL (postgres://user:password@host:5432/database)' })
    .optional(),
  // Connections the service keeps open to PostgreSQL (reads share them; group commits use one at a time).
  JIFEN_DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  JIFEN_DURABILITY: z.enum(['full', 'normal']).default('full'),
  JIFEN_GROUP_COMMIT: z.enum(['on', 'off']).default('on'),
  JIFEN_WRITER_THREAD: z.enum(['on', 'off']).default('on'),
  JIFEN_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JIFEN_JWT_JWKS: jsonObject('a JWK set ({"keys":[...]})').optional(),
  JIFEN_JWT_ISSUER: z.string().min(1).default('jifen'),
  JIFEN_JWT_AUDIENCE: z.string().min(1).default('jifen'),
  JIFEN_SIGNING_KEY: jsonObject('an Ed25519 private JWK').optional(),
  // Where people reach the service (sign-in links and their QR codes); without it, the request's own origin.
  JIFEN_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  JIFEN_BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  JIFEN_LOG: z.enum(['json', 'off']).default('json'),
  JIFEN_UTC_OFFSET: z
    .string()
    .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'must look like +08:00')
    .default('+08:00'),
  JIFEN_POINT_VALUE_CNY: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,4})?$/, 'must be a decimal string, e.g. 0.10')
    .default('0.10'),
  JIFEN_REFUND_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  JIFEN_CLAIM_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  JIFEN_REDEEM_CODE_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  // Whole points: the most a redeem code may spend unless the worker picks another ceiling.
  JIFEN_REDEEM_CODE_DEFAULT_MAX_POINTS: z.coerce.number().int().min(1).max(10_000_000).default(500),
  // Enrolment: how long a printed sign-in code stays good, and how long the session it gives lasts.
  JIFEN_SIGN_IN_CODE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  JIFEN_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 366).default(24 * 30),
  JIFEN_HOLD_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  JIFEN_POINTS_EXPIRY: z
    .string()
    .regex(/^(never|year_end|days:[1-9]\d{0,4})$/, 'must be never, year_end or days:N')
    .default('never'),
  JIFEN_CHECKPOINT_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  JIFEN_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  // Hours of attendance are rounded down to this step (hours, a decimal with at most two places).
  JIFEN_HOURS_STEP: z
    .string()
    .regex(/^(?!0+(\.0+)?$)\d{1,2}(\.\d{1,2})?$/, 'must be a positive number of hours, e.g. 0.5')
    .default('0.5'),
  JIFEN_REDEEM_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  JIFEN_REDEEM_MAX_FAILURES_PER_MERCHANT: z.coerce.number().int().min(1).max(100_000).default(30),
  JIFEN_REDEEM_MAX_FAILURES_PER_CODE: z.coerce.number().int().min(1).max(100_000).default(10),
  // Levels by service hours (星级): whole hours at which each level begins.
  JIFEN_HOURS_LEVELS: z
    .string()
    .default(DEFAULT_HOURS_LEVELS.join(','))
    .transform((text, ctx) => {
      const levels = readHoursLevels(text);
      if (typeof levels === 'string') {
        ctx.addIssue({ code: 'custom', message: levels });
        return z.NEVER;
      }
      return levels;
    }),
});

/** Rules a programme sets for redemption and settlement. */
export interface ProgrammeRules {
  /** The programme's time zone as an offset from UTC in minutes: every local day, week, month and year (src/ledger/programme-time.ts). */
  utcOffsetMinutes: number;
  /** What one point is worth in CNY when merchants are reimbursed (decimal string). */
  pointValueCny: string;
  /** How long after a redemption the merchant may refund it. */
  refundWindowDays: number;
  /** Points expiry: never, N days after earning, or the end of the calendar year after earning. */
  pointsExpiry: 'never' | 'year_end' | `days:${number}`;
  /** How often the scheduler signs a checkpoint of the chain head (if it moved). */
  checkpointIntervalMinutes: number;
  /** Lifetime of a one-time redeem code. */
  redeemCodeTtlSeconds: number;
  /** The most a redeem code may spend (hundredths of a point) when the worker does not choose. */
  redeemCodeDefaultMaxPoints: number;
  /** How long a one-time sign-in code (an enrolment card) can be exchanged. */
  signInCodeTtlDays: number;
  /** Lifetime of the session token a sign-in code is exchanged for. */
  sessionTtlHours: number;
  /** How long a reserved reward waits for pickup before the hold expires. */
  holdTtlHours: number;
  /** Limits on failed redeem-code attempts (guessing). */
  redeemLimits: RedeemLimits;
  /** How many days back a claim (or an event's start) may be; older ones only as an admin's back-fill. */
  claimMaxAgeDays: number;
  /** Whole hours at which each level by service hours begins (src/hours/levels.ts). */
  hoursLevels: number[];
  /** The step attendance hours are rounded down to, in hundredths of an hour (JIFEN_HOURS_STEP, default 0.5 h = 50). */
  hoursStep: number;
}

/** Failed redeem-code attempts allowed per merchant and per code in each fixed window. */
export interface RedeemLimits {
  windowSeconds: number;
  perMerchant: number;
  perCode: number;
}

/** The parsed configuration. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbPath: string | undefined;
  /** PostgreSQL instead of the embedded database, when set. */
  databaseUrl: string | undefined;
  /** Connections kept open to PostgreSQL. */
  databasePoolSize: number;
  durability: 'full' | 'normal';
  /** Node: commit writes that arrive together in one transaction (one fsync), each in its own savepoint. */
  groupCommit: boolean;
  /** Node: commit on a worker thread (file databases), so fsync never blocks the event loop. */
  writerThread: boolean;
  jwt: { secret?: string; jwks?: { keys: Array<Record<string, unknown>> }; issuer: string; audience: string };
  signingKey: Record<string, unknown> | undefined;
  /** The origin sign-in links point at, when the service sits behind a proxy. */
  publicUrl: string | undefined;
  bodyLimit: number;
  log: 'json' | 'off';
  /** Programme rules of redemption. */
  programme: ProgrammeRules;
  /** Period of the Node scheduler (hold expiry, …); 0 turns it off. */
  jobsIntervalSeconds: number;
}

/** A setting that stops the start, explained in one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the settings. Throws a ConfigError whose message is one line
 * naming every bad setting.
 * @example parseConfig({ PORT: '8080' }).port // 8080
 */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const picked = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, source[key] === '' ? undefined : source[key]]),
  );
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const jwks = env.JIFEN_JWT_JWKS;
  if (jwks && !Array.isArray(jwks.keys)) throw new ConfigError('Invalid configuration: JIFEN_JWT_JWKS must have a "keys" array');
  if (!env.JIFEN_JWT_SECRET && !jwks) {
    throw new ConfigError('Invalid configuration: set JIFEN_JWT_SECRET or JIFEN_JWT_JWKS so tokens can be verified');
  }
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.JIFEN_DATA_DIR,
    dbPath: env.JIFEN_DB_PATH,
    databaseUrl: env.JIFEN_DATABASE_URL,
    databasePoolSize: env.JIFEN_DATABASE_POOL_SIZE,
    durability: env.JIFEN_DURABILITY,
    groupCommit: env.JIFEN_GROUP_COMMIT === 'on',
    writerThread: env.JIFEN_WRITER_THREAD === 'on',
    jwt: {
      ...(env.JIFEN_JWT_SECRET ? { secret: env.JIFEN_JWT_SECRET } : {}),
      ...(jwks ? { jwks: jwks as { keys: Array<Record<string, unknown>> } } : {}),
      issuer: env.JIFEN_JWT_ISSUER,
      audience: env.JIFEN_JWT_AUDIENCE,
    },
    signingKey: env.JIFEN_SIGNING_KEY,
    publicUrl: env.JIFEN_PUBLIC_URL?.replace(/\/+$/, ''),
    bodyLimit: env.JIFEN_BODY_LIMIT,
    log: env.JIFEN_LOG,
    jobsIntervalSeconds: env.JIFEN_JOBS_INTERVAL_SECONDS,
    programme: {
      utcOffsetMinutes: offsetMinutes(env.JIFEN_UTC_OFFSET),
      pointValueCny: env.JIFEN_POINT_VALUE_CNY,
      refundWindowDays: env.JIFEN_REFUND_WINDOW_DAYS,
      claimMaxAgeDays: env.JIFEN_CLAIM_MAX_AGE_DAYS,
      hoursLevels: env.JIFEN_HOURS_LEVELS,
      hoursStep: parsePoints(env.JIFEN_HOURS_STEP),
      redeemCodeTtlSeconds: env.JIFEN_REDEEM_CODE_TTL_SECONDS,
      redeemCodeDefaultMaxPoints: env.JIFEN_REDEEM_CODE_DEFAULT_MAX_POINTS * 100,
      holdTtlHours: env.JIFEN_HOLD_TTL_HOURS,
      signInCodeTtlDays: env.JIFEN_SIGN_IN_CODE_TTL_DAYS,
      sessionTtlHours: env.JIFEN_SESSION_TTL_HOURS,
      pointsExpiry: env.JIFEN_POINTS_EXPIRY as ProgrammeRules['pointsExpiry'],
      checkpointIntervalMinutes: env.JIFEN_CHECKPOINT_INTERVAL_MINUTES,
      redeemLimits: {
        windowSeconds: env.JIFEN_REDEEM_FAILURE_WINDOW_SECONDS,
        perMerchant: env.JIFEN_REDEEM_MAX_FAILURES_PER_MERCHANT,
        perCode: env.JIFEN_REDEEM_MAX_FAILURES_PER_CODE,
      },
    },
  };
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number) as [number, number];
  return sign * (hours * 60 + minutes);
}
