// What must hold of the database after any number of SIGKILLs, read
// straight from the database once the service has stopped: the file
// (read-only), or the PostgreSQL database.
import Database from 'better-sqlite3';
import pg from 'pg';
import { hashCode } from '../../src/rewards/codes.js';
import type { Journal } from './journal.js';

/** Facts about the final ledger, and every way it breaks the invariants. */
export interface LedgerFacts {
  transactions: number;
  accounts: number;
  problems: string[];
}

type Rows = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** Checks the file: SQLite's integrity check, then the ledger (checkLedger). */
export async function checkLedgerFile(file: string, journal: Journal): Promise<LedgerFacts> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const facts = await checkLedger(async (sql, ...params) => db.prepare(sql.replaceAll(/\$\d+/g, '?')).all(...params) as Array<Record<string, unknown>>, journal);
    if (integrity !== 'ok') facts.problems.unshift(`integrity_check: ${integrity}`);
    return facts;
  } finally {
    db.close();
  }
}

/** Checks a PostgreSQL database as checkLedgerFile checks a file. */
export async function checkLedgerDatabase(url: string, journal: Journal): Promise<LedgerFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await checkLedger(async (sql, ...params) => (await client.query(sql, params)).rows, journal);
  } finally {
    await client.end();
  }
}

/** Sums, seals, chain order, stored balances, and exactly-once against what clients were told. */
async function checkLedger(rows: Rows, journal: Journal): Promise<LedgerFacts> {
  const problems: string[] = [];
  const expectNone = async (what: string, sql: string) => {
    const found = await rows(sql);
    if (found.length) problems.push(`${what}: ${JSON.stringify(found.slice(0, 5))}`);
  };
  {
    await expectNone('transactions that do not sum to zero or have fewer than two postings',
      'SELECT t.seq FROM transactions t LEFT JOIN postings p ON p.seq = t.seq GROUP BY t.seq HAVING count(p.seq) < 2 OR sum(p.amount) <> 0');
    await expectNone('transactions without their seal', 'SELECT t.seq FROM transactions t LEFT JOIN transaction_seals s ON s.tx_id = t.id WHERE s.tx_id IS NULL');
    await expectNone('postings of no transaction', 'SELECT p.tx_id FROM postings p LEFT JOIN transactions t ON t.id = p.tx_id WHERE t.id IS NULL');
    await expectNone('a gap in seq', 'SELECT count(*) AS n, max(seq) AS head FROM transactions HAVING count(*) <> coalesce(max(seq), 0)');
    await expectNone('stored posted balances that the postings do not explain',
      'SELECT a.id, a.posted, coalesce(p.s, 0) AS sum FROM accounts a LEFT JOIN (SELECT account_id, sum(amount) AS s FROM postings GROUP BY account_id) p ON p.account_id = a.id WHERE a.posted <> coalesce(p.s, 0)');
    await expectNone('stored held balances that the open holds do not explain',
      `SELECT a.id, a.held, coalesce(x.s, 0) AS open FROM accounts a LEFT JOIN (
         SELECT h.account_id, sum(h.amount) AS s FROM holds h LEFT JOIN hold_resolutions r ON r.hold_id = h.id WHERE r.hold_id IS NULL GROUP BY h.account_id
       ) x ON x.account_id = a.id WHERE a.held <> coalesce(x.s, 0)`);
    await expectNone('a trial balance other than zero', 'SELECT sum(posted) AS total FROM accounts HAVING sum(posted) <> 0');
    await expectNone('no-overdraft accounts below zero', 'SELECT id, posted, held FROM accounts WHERE no_overdraft = 1 AND posted - held < 0');

    // Exactly once: the transactions in the file are exactly those some client was told about.
    const told = new Set<string>();
    for (const kind of ['allocation', 'adjustment', 'claim', 'redemption', 'capture'] as const) {
      for (const { body } of journal.succeeded(kind)) {
        const id = body.transaction?.id ?? body.transaction_id ?? body.id;
        if (id) told.add(id);
      }
    }
    const stored = new Set((await rows('SELECT id FROM transactions')).map((r) => r.id as string));
    const missing = [...told].filter((id) => !stored.has(id));
    const untold = [...stored].filter((id) => !told.has(id));
    if (missing.length) problems.push(`acknowledged transactions missing from the file: ${missing.slice(0, 5).join(', ')}`);
    if (untold.length) problems.push(`transactions no client was told about (a write applied twice?): ${untold.slice(0, 5).join(', ')}`);
    const count = async (sql: string) => Number((await rows(sql))[0]!.n);
    const compare = (what: string, acknowledged: number, inFile: number) => {
      if (acknowledged !== inFile) problems.push(`${what}: ${acknowledged} acknowledged, ${inFile} in the file`);
    };
    compare('holds', journal.succeeded('hold').length, await count('SELECT count(*) AS n FROM holds'));
    compare('redemptions', journal.succeeded('redemption').length + journal.succeeded('capture').length, await count('SELECT count(*) AS n FROM redemptions'));
    compare('claims', journal.succeeded('claim').length, await count('SELECT count(*) AS n FROM claims'));
    compare('voids', journal.succeeded('void').length, await count("SELECT count(*) AS n FROM hold_resolutions WHERE kind = 'void'"));
    const codes = journal.succeeded('code');
    compare('redeem codes', codes.length, await count('SELECT count(*) AS n FROM redeem_codes'));
    const hashes = new Set((await rows('SELECT code_hash FROM redeem_codes')).map((r) => r.code_hash as string));
    const lost = codes.filter(({ body }) => !hashes.has(hashCode(body.code)));
    if (lost.length) problems.push(`acknowledged redeem codes missing: ${lost.length}`);
    return { transactions: stored.size, accounts: await count('SELECT count(*) AS n FROM accounts'), problems };
  }
}
