import type { Database, Db } from '../db/types.js';
import { formatPoints } from '../ledger/amount.js';

const PAGE = 1_000;

/**
 * One exported transaction: the fields its hash covers, amounts as decimal
 * strings, and each posting's running balance (not hashed: the offline
 * verifier checks it follows from the account's previous posting).
 */
export type ExportedTransaction = Database['transactions'] & { postings: Array<{ account_id: string; amount: string; balance_after: string }> };

/** Reads [fromSeq, toSeq] a page at a time: memory stays flat however long the range. */
export async function* exportTransactions(db: Db, fromSeq: number, toSeq: number): AsyncGenerator<ExportedTransaction> {
  for (let start = fromSeq; start <= toSeq; start += PAGE) {
    const end = Math.min(toSeq, start + PAGE - 1);
    const txs = await db.selectFrom('transactions').selectAll().where('seq', '>=', start).where('seq', '<=', end).orderBy('seq').execute();
    if (txs.length === 0) return;
    const postings = await db
      .selectFrom('postings')
      .select(['seq', 'account_id', 'amount', 'balance_after'])
      .where('seq', '>=', start)
      .where('seq', '<=', end)
      .orderBy('seq')
      .orderBy('account_id')
      .execute();
    let i = 0;
    for (const tx of txs) {
      const legs: ExportedTransaction['postings'] = [];
      while (i < postings.length && postings[i]!.seq === tx.seq) {
        legs.push({ account_id: postings[i]!.account_id, amount: formatPoints(postings[i]!.amount), balance_after: formatPoints(postings[i]!.balance_after) });
        i++;
      }
      yield { ...tx, postings: legs };
    }
  }
}

const CSV_COLUMNS = ['seq', 'transaction_id', 'kind', 'created_at', 'actor', 'memo', 'ref_type', 'ref_id', 'reverses_id', 'account_id', 'amount', 'prev_hash', 'hash'];

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote anything a spreadsheet could misread; a leading = + - @ is
  // prefixed so it is never taken for a formula.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The export as a byte stream: NDJSON (one transaction a line) or CSV (one posting a row, UTF-8 with BOM so spreadsheets read Chinese). */
export function exportStream(db: Db, format: 'csv' | 'ndjson', fromSeq: number, toSeq: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = exportTransactions(db, fromSeq, toSeq);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started && format === 'csv') {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`));
        return;
      }
      const next = await rows.next();
      if (next.done) {
        controller.close();
        return;
      }
      const tx = next.value;
      if (format === 'ndjson') {
        controller.enqueue(encoder.encode(`${JSON.stringify(tx)}\n`));
        return;
      }
      const lines = tx.postings.map((p) =>
        [tx.seq, tx.id, tx.kind, tx.created_at, tx.actor, tx.memo, tx.ref_type, tx.ref_id, tx.reverses_id, p.account_id, p.amount, tx.prev_hash, tx.hash]
          .map(csvField)
          .join(','),
      );
      controller.enqueue(encoder.encode(`${lines.join('\r\n')}\r\n`));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
