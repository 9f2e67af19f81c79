import { describe, expect, it } from 'vitest';
import { inlineParameters, literal } from './postgres-literals.js';

describe('parameters written in as literals', () => {
  it('quotes every value as node-postgres would send it, doubling quotes', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(-500)).toBe("'-500'");
    expect(literal(12n)).toBe("'12'");
    expect(literal("it's")).toBe("'it''s'");
    // standard_conforming_strings: a backslash is an ordinary character inside '…'.
    expect(literal('a\\b')).toBe("'a\\b'");
    expect(literal(new Uint8Array([0, 255]))).toBe("'\\x00ff'");
  });

  it('refuses what PostgreSQL text cannot hold or a statement cannot mean', () => {
    expect(() => literal('a\0b')).toThrow(/NUL/);
    expect(() => literal(Number.NaN)).toThrow();
    expect(() => literal({})).toThrow();
  });

  it('replaces $n outside quotes and comments only', () => {
    const sql = `SELECT '$1', "$2", $1 -- $2\n, $2 /* $1 */, $10`;
    const params = ['x', 'y', 3, 4, 5, 6, 7, 8, 9, 'ten'];
    expect(inlineParameters(sql, params)).toBe(`SELECT '$1', "$2", 'x' -- $2\n, 'y' /* $1 */, 'ten'`);
    expect(inlineParameters("SELECT 'a''$1' || $1", ["'; DROP TABLE x; --"])).toBe("SELECT 'a''$1' || '''; DROP TABLE x; --'");
  });

  it('refuses a statement naming a parameter it was not given', () => {
    expect(() => inlineParameters('SELECT $2', ['a'])).toThrow(/\$2 of 1/);
  });
});
