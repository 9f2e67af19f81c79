import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config/schema.js';

const secret = { JIFEN_JWT_SECRET: 'x'.repeat(32) };

describe('configuration', () => {
  it('has working defaults', () => {
    expect(parseConfig(secret)).toMatchObject({ port: 3000, dataDir: './data', durability: 'full', bodyLimit: 1_048_576, jwt: { issuer: 'jifen' } });
  });

  it('reads every documented setting', () => {
    const config = parseConfig({
      PORT: '8080',
      JIFEN_DATA_DIR: '/srv/jifen',
      JIFEN_DB_PATH: '/srv/jifen/ledger.db',
      JIFEN_DURABILITY: 'normal',
      JIFEN_JWT_JWKS: '{"keys":[]}',
      JIFEN_JWT_ISSUER: 'https://id.example',
      JIFEN_JWT_AUDIENCE: 'jifen-prod',
      JIFEN_BODY_LIMIT: '65536',
      JIFEN_LOG: 'off',
    });
    expect(config).toMatchObject({ port: 8080, dbPath: '/srv/jifen/ledger.db', durability: 'normal', jwt: { jwks: { keys: [] }, audience: 'jifen-prod' }, bodyLimit: 65_536, log: 'off' });
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT /],
    [{ PORT: '70000' }, /PORT/],
    [{ JIFEN_DURABILITY: 'fast' }, /JIFEN_DURABILITY/],
    [{ JIFEN_JWT_SECRET: 'short' }, /JIFEN_JWT_SECRET must be at least 32 characters/],
    [{ JIFEN_JWT_JWKS: 'not json' }, /JIFEN_JWT_JWKS must be a JWK set/],
    [{ JIFEN_SIGNING_KEY: '[' }, /JIFEN_SIGNING_KEY/],
    [{ JIFEN_HOURS_LEVELS: '100,50' }, /JIFEN_HOURS_LEVELS must increase/],
    [{ JIFEN_HOURS_LEVELS: '100,1.5' }, /JIFEN_HOURS_LEVELS must be whole hours/],
    [{ JIFEN_HOURS_STEP: '0' }, /JIFEN_HOURS_STEP must be a positive number of hours/],
    [{ JIFEN_HOURS_STEP: '0.125' }, /JIFEN_HOURS_STEP/],
    [{ JIFEN_DATABASE_URL: 'mysql://db/jifen' }, /JIFEN_DATABASE_URL must be a postgres:\/\/ URL/],
    [{ JIFEN_DATABASE_URL: 'not a url' }, /JIFEN_DATABASE_URL must be a postgres:\/\/ URL/],
    [{ JIFEN_DATABASE_POOL_SIZE: '1' }, /JIFEN_DATABASE_POOL_SIZE/],
  ])('stops on a bad setting with one line: %o', (env, message) => {
    const attempt = () => parseConfig({ ...secret, ...env });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads the levels by service hours, the five stars by default', () => {
    expect(parseConfig(secret).programme.hoursLevels).toEqual([100, 300, 600, 1000, 1500]);
    expect(parseConfig({ ...secret, JIFEN_HOURS_LEVELS: ' 20, 50 ,200' }).programme.hoursLevels).toEqual([20, 50, 200]);
  });

  it('carries the UTC offset inside the programme settings', () => {
    expect(parseConfig(secret).programme.utcOffsetMinutes).toBe(480);
    expect(parseConfig({ ...secret, JIFEN_UTC_OFFSET: '-05:00' }).programme.utcOffsetMinutes).toBe(-300);
    expect(parseConfig({ ...secret, JIFEN_UTC_OFFSET: '+00:00' }).programme.utcOffsetMinutes).toBe(0);
    expect(parseConfig(secret)).not.toHaveProperty('utcOffsetMinutes');
  });

  it('keeps the attendance hours step in hundredths of an hour', () => {
    expect(parseConfig(secret).programme.hoursStep).toBe(50);
    expect(parseConfig({ ...secret, JIFEN_HOURS_STEP: '0.25' }).programme.hoursStep).toBe(25);
    expect(parseConfig({ ...secret, JIFEN_HOURS_STEP: '1' }).programme.hoursStep).toBe(100);
  });

  it('insists on a way to verify tokens', () => {
    expect(() => parseConfig({})).toThrow(/JIFEN_JWT_SECRET or JIFEN_JWT_JWKS/);
  });
});
