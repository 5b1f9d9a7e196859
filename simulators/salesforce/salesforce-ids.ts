/**
 * Salesforce record ids as the simulator mints them: a 3-character key prefix (003 = Contact), a fixed
 * pod marker, the record's sequence number in fixed-width base 62, and Salesforce's 3-character
 * case-safe suffix. The base-62 alphabet is in ASCII order, so comparing two ids of one object as
 * strings compares their sequence numbers: `ORDER BY Id` and `Id > '…'` behave like the real API.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const POD = 'Tq';
const DIGITS = 10;

export function mintId(prefix: string, seq: number): string {
  let n = seq;
  let body = '';
  for (let i = 0; i < DIGITS; i++) {
    body = ALPHABET[n % 62]! + body;
    n = Math.floor(n / 62);
  }
  const id15 = `${prefix}${POD}${body}`;
  return id15 + caseSafeSuffix(id15);
}

/** The documented 15 → 18 character conversion: one suffix character per 5-character chunk. */
export function caseSafeSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX_CHARS[bits];
  }
  return out;
}

/** Accepts 15- or 18-character ids; returns the 18-character form, or null when it is not an id. */
export function normalizeId(id: string): string | null {
  if (!/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(id)) return null;
  const id15 = id.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

/** The sequence number of a simulator id of the given prefix, or null when it is not one. */
export function idSeq(prefix: string, id: string): number | null {
  const full = normalizeId(id);
  if (full === null || !full.startsWith(prefix + POD)) return null;
  let n = 0;
  for (const ch of full.slice(5, 15)) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    n = n * 62 + v;
  }
  return n;
}
