// Load generator for `npm run bench`, run pinned to its own core: one
// autocannon scenario, its result printed as JSON on stdout.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

interface Scenario {
  url: string;
  connections: number;
  duration: number;
  requests: Array<{ method: string; path: string; token: string; body?: string; pick?: 'members' | 'codes' }>;
  members?: string;
  codes?: string;
}

const scenario = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Scenario;
const members = scenario.members ? (JSON.parse(readFileSync(scenario.members, 'utf8')) as string[]) : [];
const codes = scenario.codes ? (JSON.parse(readFileSync(scenario.codes, 'utf8')) as string[]) : [];
let nextCode = 0;
// Every write carries its own Idempotency-Key, as a real client's does (the answer is stored with the write).
let nextKey = 0;
const keyed = (req: autocannon.Request): autocannon.Request =>
  req.method === 'GET' ? req : { ...req, headers: { ...req.headers, 'idempotency-key': `bench-${process.pid}-${nextKey++}` } };

const result = await autocannon({
  url: scenario.url,
  connections: scenario.connections,
  duration: scenario.duration,
  requests: scenario.requests.map((r) => ({
    method: r.method as 'GET',
    path: r.path,
    headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
    setupRequest: (req: autocannon.Request): autocannon.Request => {
      if (r.pick === 'members') {
        const member = members[Math.floor(Math.random() * members.length)];
        return keyed({ ...req, body: r.body!.replace('$MEMBER', member!) });
      }
      if (r.pick === 'codes') return keyed({ ...req, body: r.body!.replace('$CODE', codes[nextCode++ % codes.length]!) });
      return keyed(r.body ? { ...req, body: r.body } : req);
    },
  })),
});
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  }),
);
