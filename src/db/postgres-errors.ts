// node-postgres errors in the words the rest of the service reads: the
// schema's guards give the same message on every backend (RAISE EXCEPTION
// 'word'), and constraint failures are put in SQLite's wording, so one
// translator (errors.ts) maps all of them through the refusal catalogue.

/** What node-postgres reports about a server error. */
interface PgErrorFields {
  message?: string;
  code?: string;
  table?: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

const fields = (error: unknown): PgErrorFields => (error && typeof error === 'object' ? (error as PgErrorFields) : {});

/** The columns a unique violation names ("Key (event_id, member_id)=(…) already exists."). */
function keyColumns(detail: string | undefined): string[] {
  const match = /^Key \((.+?)\)=/.exec(detail ?? '');
  return match ? match[1]!.split(',').map((column) => column.trim()) : [];
}

/**
 * The error as SQLite would word it, where the wording carries meaning:
 * "UNIQUE constraint failed: table.column, table.column", "FOREIGN KEY
 * constraint failed", "NOT NULL constraint failed: table.column", "CHECK
 * constraint failed: name". A RAISE's message is the guard's word already.
 */
export function describePgError(error: unknown): Error {
  const e = fields(error);
  const message = e.message ?? String(error);
  const sqliteWords = (() => {
    switch (e.code) {
      case '23505':
        return `UNIQUE constraint failed: ${keyColumns(e.detail).map((column) => `${e.table}.${column}`).join(', ')} (${e.constraint})`;
      case '23503':
        return `FOREIGN KEY constraint failed (${e.constraint})`;
      case '23502':
        return `NOT NULL constraint failed: ${e.table}.${e.column}`;
      case '23514':
        return `CHECK constraint failed: ${e.constraint}`;
      default:
        return message;
    }
  })();
  return Object.assign(new Error(sqliteWords), { code: e.code ?? null, cause: error });
}

// SQLSTATE classes: 08 connection exception, 57P01–57P03 the server shutting down, crashed or starting,
// 53 insufficient resources (too many connections, disk full), 58 system error (I/O); and 57014, a
// statement cancelled (pg_cancel_backend, a statement_timeout): the database did not answer in time.
// jifen_write_group (schema/postgres/0004) passes the same classes on for a whole commit group.
const CONNECTION_STATE = /^(08|53|58|57P0[1-3]|57014)/;
// node-postgres's own words when the socket fails or closes, and the pool's when it cannot connect in time.
const CONNECTION_WORDS =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|the database system is (starting up|shutting down|in recovery mode)/i;

/** True when the server could not be reached or went away: nothing is known to be written, and a retry may succeed. */
export function isPgConnectionFault(error: unknown): boolean {
  const e = fields(error);
  if (e.code && CONNECTION_STATE.test(e.code)) return true;
  return CONNECTION_WORDS.test(`${e.message ?? ''} ${e.code ?? ''}`);
}

/** True for a deadlock or a serialization failure: the transaction was rolled back and may simply be run again. */
export function isPgRetryable(error: unknown): boolean {
  const code = fields(error).code;
  return code === '40P01' || code === '40001';
}
