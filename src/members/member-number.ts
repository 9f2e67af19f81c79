/**
 * Member numbers: what people say and type instead of a member's id.
 *
 * The database assigns them (schema/0010_member_directory.sql, view
 * `member_next_number`): a serial from 1001 followed by two check digits by
 * ISO 7064 MOD 97-10, so every number is 1 modulo 97. This module reads what
 * a person typed by the same rule, so a mistyped digit is refused before any
 * member is looked up.
 */

/** Digits only, 6 to 12 of them (a serial of 4 or more digits and its two check digits). */
const NUMBER_SHAPE = /^[0-9]{6,12}$/;

/** How a typed reference to a member reads: a member number, a mistyped one, or an id. */
export type MemberRef = { kind: 'number'; member_no: number } | { kind: 'mistyped' } | { kind: 'id'; id: string };

/**
 * Reads a reference to a member as a person gives it: spaces and dashes
 * between digit groups are allowed ("1001 05"); all digits means a number,
 * which must pass its check; anything else is an id.
 */
export function readMemberRef(text: string): MemberRef {
  const digits = text.trim().replace(/[\s-]/g, '');
  if (!/^[0-9]+$/.test(digits)) return { kind: 'id', id: text };
  return isMemberNumber(digits) ? { kind: 'number', member_no: Number(digits) } : { kind: 'mistyped' };
}

/** Whether digits form a member number: the right length, no leading zero, and 1 modulo 97. */
export function isMemberNumber(digits: string): boolean {
  if (!NUMBER_SHAPE.test(digits) || digits.startsWith('0')) return false;
  // Digit by digit, so a number longer than a double's precision is still checked exactly.
  let rest = 0;
  for (const digit of digits) rest = (rest * 10 + Number(digit)) % 97;
  return rest === 1;
}

/** A member number as the API and the pages show it. */
export function memberNumberText(memberNo: number): string {
  return String(memberNo);
}
