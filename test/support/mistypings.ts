/** What a person mistyping a number does: each digit changed to another, and each two neighbouring digits swapped (where they differ). */
export function mistypings(number: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < number.length; i++) {
    for (const d of '0123456789') {
      if (d !== number[i]) out.add(number.slice(0, i) + d + number.slice(i + 1));
    }
    if (i + 1 < number.length && number[i] !== number[i + 1]) {
      out.add(number.slice(0, i) + number[i + 1] + number[i] + number.slice(i + 2));
    }
  }
  out.delete(number);
  return [...out];
}
