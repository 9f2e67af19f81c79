// A consistent copy of the live database, checked before it is trusted:
//   npm run backup -- <file> [--from <database file>]
//   npm run backup -- --check <file>     (only verify a backup, e.g. before restoring it)
// The service may keep running and writing. See docs/operations.md for
// restoring (and for the keys, which are not in the database).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeDbFile } from '../src/config/node.js';
import { copyLiveDatabase, verifyDatabaseFile } from './backup/copy.js';

const USAGE = `Usage: npm run backup -- <file> [--from <database file>]
       npm run backup -- --check <file>

Copies the service's database (JIFEN_DB_PATH, else jifen.db in JIFEN_DATA_DIR, default ./data),
or --from, to <file> with SQLite's online backup, while the service goes on writing; then
opens the copy and checks it as /v1/audit/verify does: the hash chain from seq 1, every
transaction's postings balanced and sealed, every running and stored balance; the trial
balance is zero; the newest checkpoint is a point of the chain. Never overwrites <file>.
With --check, only verifies <file> (a backup about to be restored), read-only.

Exit status: 0 copied and verified, 1 the copy failed a check (kept as <file>, with the
reason printed: the live database has the same fault), 2 bad usage or I/O.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { from: { type: 'string' }, check: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  fail(`${(error as Error).message}\n(npm run backup -- --help for usage)`);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (parsed.positionals.length !== 1) fail('give one file to write the backup to: npm run backup -- <file>  (--help for more)');
const target = resolve(parsed.positionals[0]!);
const n = (x: number) => x.toLocaleString('en-US');
if (parsed.values.check) {
  if (!existsSync(target)) fail(`no file at ${target}`);
} else {
  const source = parsed.values.from ? resolve(parsed.values.from) : nodeDbFile();
  if (!existsSync(source)) fail(`no database at ${source}: set JIFEN_DATA_DIR (or JIFEN_DB_PATH) as the service has it, or give --from <file>`);
  if (existsSync(target)) fail(`${target} exists already: a backup never overwrites a file; name a new one`);
  if (!existsSync(dirname(target))) fail(`the folder ${dirname(target)} does not exist`);
  let copied;
  try {
    copied = await copyLiveDatabase(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'EEXIST' ? `${target} appeared while copying: a backup never overwrites a file; name a new one` : `could not copy ${source}: ${(error as Error).message}`);
  }
  process.stdout.write(`Copied ${source} to ${target}: ${(copied.bytes / 1048576).toFixed(1)} MB in ${(copied.ms / 1000).toFixed(1)} s (SQLite online backup, one snapshot)\n`);
}
const started = performance.now();
let check;
try {
  check = await verifyDatabaseFile(target);
} catch (error) {
  fail(`could not read ${target} as a Jifen database: ${(error as Error).message}`, 1);
}
const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
if (!check.ok) {
  process.stdout.write(`Verification FAILED (${took}): ${check.problems.join('; ')}\n`);
  process.exit(1);
}
const head = check.head ? `seq ${n(check.head.seq)}, hash ${check.head.hash.slice(0, 16)}…` : 'empty (no transaction yet)';
process.stdout.write(
  [
    `Verified ${parsed.values.check ? target : 'the copy'} in ${took}:`,
    `  file:          quick_check ok`,
    `  chain head:    ${head}`,
    `  transactions:  ${n(check.transactions)}, chained from seq 1, each balanced and sealed, running balances follow`,
    `  balances:      ${n(check.ledger.balances_checked)} accounts' stored balances match their postings and open holds`,
    `  trial balance: ${check.trial_balance.total} (zero)`,
    `  checkpoint:    ${check.checkpoint ? `the newest, at seq ${n(check.checkpoint.seq)}, is a point of this chain` : 'none signed yet'}`,
    '',
  ].join('\n'),
);
