import { describe, expect, it } from 'vitest';
import { isMemberNumber, readMemberRef } from './member-number.js';
import { mistypings } from '../../test/support/mistypings.js';

/** The rule the schema's view member_next_number states, for serial s. */
const numberOf = (serial: number) => serial * 100 + 98 - ((serial * 100) % 97);

describe('member numbers', () => {
  it('accept every number the schema assigns and refuse every single mistyped digit or neighbouring swap', () => {
    for (const serial of [1001, 1002, 1234, 9999, 10000, 54321, 99999, 123456]) {
      const number = String(numberOf(serial));
      expect(isMemberNumber(number), number).toBe(true);
      const wrong = mistypings(number);
      expect(wrong.length).toBeGreaterThan(number.length * 9);
      for (const typo of wrong) expect(isMemberNumber(typo), `${number} → ${typo}`).toBe(false);
    }
  });

  it('read digits (with spaces or dashes between groups) as a number, anything else as an id', () => {
    expect(readMemberRef('100105')).toEqual({ kind: 'number', member_no: 100105 });
    expect(readMemberRef(' 1001-05 ')).toEqual({ kind: 'number', member_no: 100105 });
    expect(readMemberRef('1001 05')).toEqual({ kind: 'number', member_no: 100105 });
    expect(readMemberRef('100150')).toEqual({ kind: 'mistyped' });
    expect(readMemberRef('12')).toEqual({ kind: 'mistyped' });
    expect(readMemberRef('0100105')).toEqual({ kind: 'mistyped' });
    expect(readMemberRef('mem_01a2')).toEqual({ kind: 'id', id: 'mem_01a2' });
  });
});
