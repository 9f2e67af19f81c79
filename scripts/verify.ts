// Verifies, without trusting the operator, the ledger's whole history: every
// transaction (chain, balanced postings, running balances), hashing to every
// signed checkpoint; says which seqs a signature covers and which only the
// chain; with --pin, holds the service to keys and checkpoints saved earlier.
import { createReadStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { verifyHistory, type HistoryReport, type Pins, type PublishedCheckpoint } from '../src/audit/offline-verify.js';
import type { ExportedTransaction } from '../src/audit/export.js';
import { readPins } from './verify/pins.js';
import { CERTIFICATE_TYPE } from '../src/certificates/certificates.js';

const USAGE = `Usage:
  npm run verify -- --url <service> --token <auditor token> [--save DIR] [--pin PIN]...
  npm run verify -- --file export.ndjson --checkpoints checkpoints.json --jwks jwks.json [--pin PIN]...
  npm run verify -- --certificate <file> --jwks jwks.json

--certificate checks a service-record certificate offline: the file holds its compact
JWS, or the JSON the service answered with (a "jws" field, or a "certificates" list);
it passes when each JWS verifies with a key of the JWKS and is a certificate, and prints
what it certifies. (Whether it was revoked since only the service can say: open its url.)

Checks every transaction of the export from seq 1 to the head: contiguous seqs, each
prev_hash the hash before it, each hash recomputed, postings balanced (two or more, no
account twice), each running balance the account's previous one plus the amount; and
that the history hashes to every signed checkpoint. Prints a JSON report, then which
seqs a signed checkpoint covers (1..N) and which only the chain (N+1..head: checked for
internal consistency only, a forger who recomputes the chain could have rewritten it).

  --save DIR  after a passing check, write jwks.json, checkpoints.json and export.ndjson
              to DIR (a failing check leaves them as *.rejected); DIR is what --pin takes
  --pin PIN   a directory written by --save, or a JWKS, checkpoint list or checkpoint
              file; repeatable. Fails unless the service still publishes every pinned key
              and lists every pinned checkpoint unchanged, the history still hashes to
              them, and every listed checkpoint verifies with the pinned keys.

Exit status: 0 verified, 1 the history or the service failed a check, 2 bad usage or I/O.`;

const parse = () =>
  parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      file: { type: 'string' },
      checkpoints: { type: 'string' },
      jwks: { type: 'string' },
      save: { type: 'string' },
      pin: { type: 'string', multiple: true },
      certificate: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
// Parsed inside main: a bad option is then a usage error (exit 2), not an uncaught throw (exit 1, as a failed check).
let values: ReturnType<typeof parse>;
/** Lines printed after the verdict. */
const notes: string[] = [];

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

async function verifyFiles(pins: Pins | undefined): Promise<HistoryReport> {
  if (!values.checkpoints || !values.jwks) throw new Error('--file needs --checkpoints and --jwks');
  const checkpoints = (JSON.parse(readFileSync(values.checkpoints, 'utf8')) as { items: PublishedCheckpoint[] }).items;
  const jwks = JSON.parse(readFileSync(values.jwks, 'utf8')) as JSONWebKeySet;
  // readline drops the lines it reads before its iterator exists, and
  // verifyHistory checks the checkpoints (async) before it reads the
  // history: take the iterator now, so every line is buffered until then.
  const history = createInterface({ input: createReadStream(values.file!), crlfDelay: Infinity })[Symbol.asyncIterator]();
  return verifyHistory({ transactions: lines({ [Symbol.asyncIterator]: () => history }), checkpoints, jwks, ...(pins ? { pins } : {}) });
}

async function verifyService(pins: Pins | undefined): Promise<HistoryReport> {
  if (!values.url || !values.token) throw new Error('give --url and --token (an auditor token), or --file with --checkpoints and --jwks');
  const base = values.url.replace(/\/$/, '');
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${values.token}` } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  const jwks = (await (await get('/.well-known/jwks.json')).json()) as JSONWebKeySet;
  const listing = (await (await get('/v1/audit/checkpoints')).json()) as { items: PublishedCheckpoint[] };
  // The whole history, not only up to the latest checkpoint: what came after
  // it is checked too, and reported as covered by the chain alone.
  const exported = await get('/v1/audit/export?format=ndjson');
  const dir = values.save;
  let saveChunk: ((chunk: string) => void) | undefined;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'export.ndjson.partial'), '');
    saveChunk = (chunk) => writeFileSync(join(dir, 'export.ndjson.partial'), chunk, { flag: 'a' });
  }
  const report = await verifyHistory({ transactions: lines(responseLines(exported.body!, saveChunk)), checkpoints: listing.items, jwks, ...(pins ? { pins } : {}) });
  if (dir) {
    // Only a passing check replaces what DIR holds: DIR may be the pins of
    // this very run, and a failing service must not become the next pins.
    const suffix = report.ok ? '' : '.rejected';
    writeFileSync(join(dir, `jwks.json${suffix}`), JSON.stringify(jwks));
    writeFileSync(join(dir, `checkpoints.json${suffix}`), JSON.stringify(listing));
    renameSync(join(dir, 'export.ndjson.partial'), join(dir, `export.ndjson${suffix}`));
    notes.push(report.ok ? `saved to ${dir}` : `not saved: the check failed; what the service sent is in ${dir}/*.rejected`);
  }
  return report;
}

function verdict(report: HistoryReport): string {
  if (!report.ok) return `FAILED at seq ${report.first_bad_seq ?? '-'}: ${report.failure}\n`;
  const out = [`OK: ${report.checked} transactions checked (the chain from seq 1, balanced postings, running balances)`];
  out.push(
    report.signed
      ? `  seq ${report.signed.from_seq}..${report.signed.to_seq}: hash to ${report.checkpoints_verified} signed checkpoint(s), the latest at seq ${report.latest_checkpoint_seq}`
      : '  no seq is covered by a signed checkpoint',
  );
  if (report.chain_only) out.push(`  seq ${report.chain_only.from_seq}..${report.chain_only.to_seq}: ${report.chain_only.note}`);
  if (report.pinned) {
    out.push(`  pinned: ${report.pinned.keys} key(s) still published, ${report.pinned.checkpoints} checkpoint(s) still listed unchanged and matched by the history`);
  }
  return `${out.join('\n')}\n`;
}

/** The compact JWSs a certificate file holds: the JWS itself, or the service's JSON answer. */
function certificateJwss(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return [trimmed];
  const parsed = JSON.parse(trimmed) as { jws?: unknown; certificates?: Array<{ jws?: unknown }> };
  const all = parsed.certificates ? parsed.certificates.map((c) => c.jws) : [parsed.jws];
  if (!all.length || !all.every((j): j is string => typeof j === 'string')) throw new Error('the certificate file has no "jws"');
  return all;
}

async function verifyCertificate(file: string): Promise<number> {
  if (!values.jwks) throw new Error('--certificate needs --jwks');
  const keys = createLocalJWKSet(JSON.parse(readFileSync(values.jwks, 'utf8')) as JSONWebKeySet);
  let failed = 0;
  for (const jws of certificateJwss(readFileSync(file, 'utf8'))) {
    try {
      const { payload, protectedHeader } = await compactVerify(jws, keys, { algorithms: ['EdDSA'] });
      if (protectedHeader.typ !== CERTIFICATE_TYPE) throw new Error(`not a certificate (typ ${String(protectedHeader.typ)})`);
      const content = JSON.parse(new TextDecoder().decode(payload)) as { number: string };
      process.stdout.write(`${JSON.stringify(content, null, 2)}\nOK: certificate ${content.number} is signed by key ${protectedHeader.kid ?? '-'} of the JWKS\n`);
    } catch (error) {
      failed++;
      process.stdout.write(`FAILED: the certificate does not verify: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return failed ? 1 : 0;
}

async function main(): Promise<number> {
  values = parse();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.certificate) return verifyCertificate(values.certificate);
  const pins = values.pin?.length ? readPins(values.pin) : undefined;
  const report = values.file ? await verifyFiles(pins) : await verifyService(pins);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(verdict(report));
  for (const note of notes) process.stdout.write(`${note}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n(npm run verify -- --help for usage)\n`);
    process.exit(2);
  },
);
