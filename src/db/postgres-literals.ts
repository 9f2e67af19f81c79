// A compiled statement with its parameters written in as literals, so a
// whole write (several statements) travels to PostgreSQL as one simple query:
// one round trip instead of one per statement. node-postgres sends parameters
// as untyped text and the server types them from their place in the
// statement; a quoted literal is typed the same way ('5' in `amount + '5'` is
// a bigint, in `id = '5'` a text), so a statement means the same either way.

/** A parameter as a quoted literal, as node-postgres would send it. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to the database`);
    text = String(value);
  } else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (value instanceof Uint8Array) text = `\\x${Buffer.from(value).toString('hex')}`;
  else throw new Error(`cannot write a ${typeof value} to the database`);
  // PostgreSQL text cannot hold NUL, and a simple query ends at one: refused here, not cut short.
  if (text.includes('\0')) throw new Error('text with a NUL character cannot be stored');
  // standard_conforming_strings is on (the default since 9.1): inside '…' only a quote is special, doubled.
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The statement with each `$n` outside quotes and comments replaced by its
 * parameter as a literal. Kysely's PostgreSQL compiler writes parameters as
 * `$1`, `$2`…; a `$` inside a quoted string, a quoted name or a comment is
 * left as it is.
 */
export function inlineParameters(sql: string, parameters: readonly unknown[]): string {
  if (parameters.length === 0) return sql;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A quoted string or name, with the quote doubled inside.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$' && /\d/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? '')) j++;
      const index = Number(sql.slice(i + 1, j)) - 1;
      if (index < 0 || index >= parameters.length) throw new Error(`statement names parameter $${index + 1} of ${parameters.length}`);
      out += literal(parameters[index]);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
