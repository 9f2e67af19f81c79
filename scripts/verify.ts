// Verifies, without trusting the operator, that the ledger's history hashes
// to every signed checkpoint (checked against the published keys):
//   npm run verify -- --url http://localhost:3000 --token <auditor token>
//   npm run verify -- --file export.ndjson --checkpoints checkpoints.json --jwks jwks.json
// Online mode saves nothing; --save DIR also writes the three files for a later offline check.
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { verifyHistory, type PublishedCheckpoint } from '../src/audit/offline-verify.js';
import type { ExportedTransaction } from '../src/audit/export.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    file: { type: 'string' },
    checkpoints: { type: 'string' },
    jwks: { type: 'string' },
    save: { type: 'string' },
  },
});

async function* lines(stream: AsyncIterable<string>): AsyncGenerator<ExportedTransaction> {
  for await (const line of stream) if (line.trim()) yield JSON.parse(line) as ExportedTransaction;
}

async function* responseLines(body: ReadableStream<Uint8Array>, save?: (chunk: string) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    save?.(text);
    buffer += text;
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
    }
  }
  if (buffer) yield buffer;
}

async function main(): Promise<number> {
  let report;
  if (values.file) {
    if (!values.checkpoints || !values.jwks) throw new Error('--file needs --checkpoints and --jwks');
    const checkpoints = (JSON.parse(readFileSync(values.checkpoints, 'utf8')) as { items: PublishedCheckpoint[] }).items;
    const jwks = JSON.parse(readFileSync(values.jwks, 'utf8')) as JSONWebKeySet;
    // readline drops the lines it reads before its iterator exists, and
    // verifyHistory checks the checkpoints (async) before it reads the
    // history: take the iterator now, so every line is buffered until then.
    const history = createInterface({ input: createReadStream(values.file), crlfDelay: Infinity })[Symbol.asyncIterator]();
    report = await verifyHistory({ transactions: lines({ [Symbol.asyncIterator]: () => history }), checkpoints, jwks });
  } else {
    if (!values.url || !values.token) throw new Error('give --url and --token (an auditor token), or --file with --checkpoints and --jwks');
    const base = values.url.replace(/\/$/, '');
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${values.token}` } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return res;
    };
    const jwks = (await (await get('/.well-known/jwks.json')).json()) as JSONWebKeySet;
    const listing = (await (await get('/v1/audit/checkpoints')).json()) as { items: PublishedCheckpoint[] };
    const latest = listing.items.reduce((max, c) => Math.max(max, c.seq), 0);
    const exported = await get(`/v1/audit/export?format=ndjson&to_seq=${Math.max(latest, 1)}`);
    let saveChunk: ((chunk: string) => void) | undefined;
    if (values.save) {
      mkdirSync(values.save, { recursive: true });
      writeFileSync(join(values.save, 'jwks.json'), JSON.stringify(jwks));
      writeFileSync(join(values.save, 'checkpoints.json'), JSON.stringify(listing));
      writeFileSync(join(values.save, 'export.ndjson'), '');
      saveChunk = (chunk) => writeFileSync(join(values.save!, 'export.ndjson'), chunk, { flag: 'a' });
    }
    report = await verifyHistory({ transactions: lines(responseLines(exported.body!, saveChunk)), checkpoints: listing.items, jwks });
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    report.ok
      ? `OK: ${report.checked} transactions hash to ${report.checkpoints_verified} signed checkpoint(s), the latest at seq ${report.latest_checkpoint_seq}\n`
      : `FAILED at seq ${report.first_bad_seq ?? '-'}: ${report.failure}\n`,
  );
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
