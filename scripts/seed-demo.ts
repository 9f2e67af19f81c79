// Fills the database of JIFEN_DATA_DIR with a believable programme, through
// the API itself (in-process), and prints a token per role and sign-in links:
//   npm run seed:demo [-- --url <where people open the service>]
//   npm run seed:demo -- --http [--url <service>]   (through a running service's API instead)
// The links point at --url (default: JIFEN_PUBLIC_URL, else http://localhost:$PORT).
// With --http the requests go to the service at --url, so a Worker under
// `npm run dev:worker` (local D1, default http://127.0.0.1:8787 there) is
// seeded too: its .dev.vars hold this data folder's keys, so the tokens minted
// here are accepted. Every request carries a fixed Idempotency-Key, so running
// it again changes nothing and prints the same ids.
import { parseArgs } from 'node:util';
import { loadNodeConfig } from '../src/config/node.js';
import { openSqlite } from '../src/db/sqlite.js';
import { nodeDeps } from '../src/entry/node-deps.js';
import { createApp } from '../src/app.js';
import { mintToken } from '../src/auth/mint.js';
import type { Role } from '../src/auth/caller.js';
import { parsePoints } from '../src/ledger/amount.js';
import { signInLink } from '../src/pages/sign-in-link.js';
import { serviceUrl } from './service-url.js';

const { values: args } = parseArgs({ options: { url: { type: 'string' }, http: { type: 'boolean', default: false } } });
const config = await loadNodeConfig();
const base = serviceUrl(config, args.url);
let close = () => {};
let request: (path: string, init?: RequestInit) => Promise<Response>;
if (args.http) {
  request = async (path, init) => {
    try {
      return await fetch(`${base}${path}`, init);
    } catch (error) {
      process.stderr.write(`seed:demo --http: no service answers at ${base} (${(error as Error).cause ?? (error as Error).message}); start it, or give --url\n`);
      process.exit(1);
    }
  };
} else {
  const sqlite = openSqlite(config.dbFile, config.durability);
  const app = createApp(await nodeDeps(config, sqlite, { quiet: true }));
  request = async (path, init) => app.request(path, init);
  close = () => sqlite.close();
}
const secret = config.jwt.secret;
if (!secret) throw new Error('seed:demo mints tokens with JIFEN_JWT_SECRET (or the development secret)');
const token = (role: Role, scope: Record<string, string> = {}, sub = `${role}-demo`) =>
  mintToken(secret, { role, sub, ...scope, issuer: config.jwt.issuer, audience: config.jwt.audience, ttl: '30d' });

const admin = await token('admin', {}, 'seed-admin');
let calls = 0;
async function call<T = any>(method: string, path: string, body: unknown, bearer = admin): Promise<T> {
  calls++;
  const res = await request(path, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': `seed-demo-${calls}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { detail?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.detail ?? ''}`);
  return json;
}

// Times are relative to when the programme was first seeded (the city's
// created_at, replayed on a re-run), so a re-run sends identical requests.
let anchor = Date.now();
const PROGRAMME_OFFSET_MS = 8 * 3_600_000; // programme time is UTC+8
/** `hour` o'clock programme time, `days` programme days before the anchor; never after the anchor (a claim cannot be for the future). */
const daysAgo = (days: number, hour = 9) => {
  const local = new Date(anchor + PROGRAMME_OFFSET_MS - days * 86_400_000);
  local.setUTCHours(hour, 0, 0, 0);
  return new Date(Math.min(local.getTime() - PROGRAMME_OFFSET_MS, anchor - 60_000)).toISOString();
};

// The org tree: a city, three districts, streets, communities, grids and red stations.
type Org = { id: string; name: string; created_at: string };
const org = (name: string, kind: string, parent?: Org) =>
  call<Org>('POST', '/v1/orgs', { name, kind, ...(parent ? { parent_id: parent.id } : {}) });
const city = await org('湘潭市', 'city');
anchor = Date.parse(city.created_at);
const industry = await org('市快递物流行业党委', 'industry', city);
const plan: Record<string, Record<string, string[]>> = {
  岳塘区: { 建设路街道: ['和平社区', '双拥社区'], 书院路街道: ['荷塘社区'] },
  雨湖区: { 广场街道: ['大埠桥社区', '熙春路社区'] },
  湘潭县: { 易俗河镇: ['天易社区', '金霞社区'] },
};
const districts: Org[] = [];
const streets: Org[] = [];
const communities: Org[] = [];
const streetOf = new Map<string, string>(); // community id → street id
for (const [districtName, streetPlan] of Object.entries(plan)) {
  const district = await org(districtName, 'district', city);
  districts.push(district);
  for (const [streetName, communityNames] of Object.entries(streetPlan)) {
    const street = await org(streetName, 'street', district);
    streets.push(street);
    await org(`${streetName}红色驿站`, 'station', street);
    for (const name of communityNames) {
      const community = await org(name, 'community', street);
      communities.push(community);
      streetOf.set(community.id, street.id);
      await org(`${name}第一网格`, 'grid', community);
    }
  }
}

// Activity types of the programme.
const types = [
  { code: 'volunteer_hour', name: { zh: '志愿服务', en: 'Volunteer service' }, unit: 'hour', points_per_unit: '10', daily_cap: '50', monthly_cap: '300' },
  { code: 'grid_report', name: { zh: '上报有价值信息', en: 'Valuable grid report' }, unit: 'report', points_per_unit: '5', daily_cap: '30', requires_evidence: true },
  { code: 'hazard_resolved', name: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, unit: 'participation', points_per_unit: '20', maker_checker_threshold: '30' },
  { code: 'safety_training', name: { zh: '安全培训', en: 'Safety training' }, unit: 'participation', points_per_unit: '8' },
  { code: 'exam_support', name: { zh: '高考护航', en: 'Exam-day support' }, unit: 'hour', points_per_unit: '12', daily_cap: '96' },
  { code: 'pioneer_award', name: { zh: '先锋骑手', en: 'Pioneer rider award' }, unit: 'participation', points_per_unit: '200', maker_checker_threshold: '0' },
];
for (const type of types) await call('POST', '/v1/activity-types', type);
await call('POST', '/v1/campaigns', {
  name: '创建文明城市 双倍积分 (civilised-city drive)',
  multiplier: '2',
  starts_at: daysAgo(10, 0),
  ends_at: daysAgo(-20, 0),
  activity_codes: ['volunteer_hour'],
});

// Budgets: each district and the industry committee.
for (const district of districts) await call('POST', '/v1/budget-allocations', { org_id: district.id, amount: '20000', memo: '2026年度积分预算' });
await call('POST', '/v1/budget-allocations', { org_id: industry.id, amount: '5000', memo: '行业党委积分预算' });
// The first street funds its own events (the nearest funded org pays), so its organizer sees a budget and a pace.
await call('POST', '/v1/budget-allocations', { org_id: streets[0]!.id, amount: '3000', memo: '街道积分预算' });

// Fifty workers across the four platforms.
const platforms = [
  ['delivery', '外卖骑手'],
  ['courier', '快递员'],
  ['ride_hailing', '网约车司机'],
  ['freight', '货车司机'],
] as const;
const members: Array<{ id: string; home_org_id: string }> = [];
for (let i = 0; i < 50; i++) {
  const [platform, label] = platforms[i % platforms.length]!;
  const home = communities[i % communities.length]!;
  members.push(
    await call('POST', '/v1/members', { display_name: `${label}${String(i + 1).padStart(2, '0')}`, platform, home_org_id: home.id, external_ref: `demo:${i + 1}` }),
  );
}

// Events with rosters, recorded by each street's organizer.
const organizers = await Promise.all(streets.map((s, i) => token('organizer', { org_id: s.id }, `organizer-demo-${i + 1}`)));
const secondOrganizers = await Promise.all(streets.map((s, i) => token('organizer', { org_id: s.id }, `organizer-demo-${i + 1}b`)));
const inStreet = (street: Org) => members.filter((m) => streetOf.get(m.home_org_id) === street.id);
const events = [
  { title: '文明交通劝导志愿服务', activity_code: 'volunteer_hour', days: 6, units: '2' },
  { title: '电动车安全驾驶培训', activity_code: 'safety_training', days: 12, units: undefined },
  { title: '暴雨后清理路障', activity_code: 'hazard_resolved', days: 3, units: undefined },
  { title: '高考护航爱心送考', activity_code: 'exam_support', days: 1, units: '3' },
];
let recorded = 0;
for (const [si, street] of streets.entries()) {
  const crew = inStreet(street);
  for (const [ei, event] of events.entries()) {
    const roster = crew.filter((_, k) => (k + ei + 1) % 3 !== 0).map((m) => ({ member_id: m.id, ...(event.units ? { units: event.units } : {}) }));
    if (roster.length === 0) continue;
    const community = communities.find((c) => streetOf.get(c.id) === street.id)!;
    const result = await call<{ claims: unknown[] }>(
      'POST',
      '/v1/events',
      { org_id: community.id, activity_code: event.activity_code, title: event.title, starts_at: daysAgo(event.days + si), location: `${community.name}`, roster },
      organizers[si],
    );
    recorded += result.claims.length;
  }
}

// Self-reported grid reports (pending), some approved by a street organizer.
let reports = 0;
for (const [i, m] of members.slice(0, 20).entries()) {
  const worker = await token('worker', { member_id: m.id }, `worker-demo-${i + 1}`);
  const claim = await call<{ id: string; org_id: string }>(
    'POST',
    '/v1/claims',
    { activity_code: 'grid_report', report_ref: `GR-2026-${1000 + i}`, evidence_url: `https://grid.example/reports/${1000 + i}`, occurred_at: daysAgo(i % 5, 14) },
    worker,
  );
  reports++;
  const si = streets.findIndex((s) => s.id === streetOf.get(m.home_org_id));
  if (i % 2 === 0) await call('POST', `/v1/claims/${claim.id}/approve`, {}, secondOrganizers[si]);
}
// A pioneer-rider award waiting for a second organizer.
await call('POST', '/v1/claims', { member_id: members[0]!.id, activity_code: 'pioneer_award', occurred_at: daysAgo(0, 8) }, organizers[0]);

// Partner merchants, their catalog, and a few redemptions.
const shop = await call<{ id: string }>('POST', '/v1/merchants', { name: '和平社区便民超市', org_id: communities[0]!.id });
const station = await call<{ id: string }>('POST', '/v1/merchants', { name: `${streets[0]!.name}红色驿站`, org_id: streets[0]!.id });
const barber = await call<{ id: string }>('POST', '/v1/merchants', { name: '建设路老王理发', org_id: streets[0]!.id });
const shopToken = await token('merchant', { merchant_id: shop.id }, 'merchant-demo-shop');
const barberToken = await token('merchant', { merchant_id: barber.id }, 'merchant-demo-barber');
const water = await call<{ id: string }>('POST', `/v1/merchants/${shop.id}/rewards`, { kind: 'goods', name: '矿泉水一箱', price: '30', stock: 40, per_member_limit: 2 });
await call('POST', `/v1/merchants/${shop.id}/rewards`, { kind: 'goods', name: '电动车雨衣', price: '80', stock: 15, per_member_limit: 1, limit_period: 'year' });
await call('POST', `/v1/merchants/${station.id}/rewards`, { kind: 'goods', name: '充电宝租用一次', price: '5' });
const haircut = await call<{ id: string }>('POST', `/v1/merchants/${barber.id}/rewards`, { kind: 'discount_card', name: '理发85折卡', price: '40', card: { percent_off: '15', valid_days: 90, uses: 3 } });
let redeemed = 0;
let cardHolder: { index: number; id: string } | undefined;
for (const [i, m] of members.entries()) {
  if (redeemed === 6) break;
  const worker = await token('worker', { member_id: m.id }, `worker-demo-${i + 1}`);
  const me = (await (await request('/v1/me', { headers: { authorization: `Bearer ${worker}` } })).json()) as { balance: { available: string } };
  if (parsePoints(me.balance.available) < 4000) continue; // affords the dearest reward

  const { code } = await call<{ code: string }>('POST', '/v1/me/redeem-codes', {}, worker);
  const [till, reward] = i % 2 ? [barberToken, haircut.id] : [shopToken, water.id];
  await call('POST', '/v1/redemptions', { redeem_code: code, reward_id: reward, quantity: 1 }, till);
  if (i % 2 && !cardHolder) cardHolder = { index: i, id: m.id };
  redeemed++;
}

const first = members[0]!;
const out = (label: string, value: string) => process.stdout.write(`${label.padEnd(12)} ${value}\n`);
process.stdout.write(
  `Seeded ${args.http ? base : config.dbFile}: ${communities.length} communities in ${districts.length} districts, ${types.length} activity types, ` +
    `${members.length} workers, ${recorded} event claims, ${reports} grid reports, 3 merchants, ${redeemed} redemptions ` +
    `(${calls} requests; re-running is a no-op).\n\nTokens (30 days):\n`,
);
const auditor = await token('auditor');
const worker = await token('worker', { member_id: first.id }, 'worker-demo-1');
const holder = cardHolder ?? { index: 0, id: first.id };
const worker2 = await token('worker', { member_id: holder.id }, `worker-demo-${holder.index + 1}`);
out('admin', admin);
out('auditor', auditor);
out('organizer', `${organizers[0]}   (${streets[0]!.name}, org ${streets[0]!.id})`);
out('organizer2', `${secondOrganizers[0]}   (a second organizer of ${streets[0]!.name})`);
out('worker', `${worker}   (member ${first.id})`);
out('worker2', `${worker2}   (member ${holder.id}, holds a discount card)`);
out('merchant', `${shopToken}   (和平社区便民超市, merchant ${shop.id})`);
out('merchant2', `${barberToken}   (建设路老王理发, merchant ${barber.id})`);
process.stdout.write(`\nSign-in links for the web pages (${args.http ? 'the service seeded' : 'with npm start running'}; ${base}/app):\n`);
out('admin', `${signInLink(base, admin)}   (the console: orgs, budgets, activity types, merchants, members, corrections)`);
out('worker', signInLink(base, worker));
out('worker2', signInLink(base, worker2));
out('merchant', signInLink(base, shopToken));
out('merchant2', signInLink(base, barberToken));
out('organizer', signInLink(base, organizers[0]!));
out('organizer2', signInLink(base, secondOrganizers[0]!));
out('auditor', signInLink(base, auditor));
process.stdout.write(`\nTry: curl -H "Authorization: Bearer <worker token>" ${base}/v1/me\n`);
close();
