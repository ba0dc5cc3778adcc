/** A character trigram: a small integer for common text, a larger number or a string otherwise. */
export type Trigram = number | string;

/** A set of character trigrams. */
export type TrigramSet = Set<Trigram>;

// Three code points below 1024 pack into 30 bits: a small integer, which V8 stores and hashes
// without allocating. Other BMP trigrams get a 48-bit number above that range; astral ones a string.
const SMALL = 1024;
const LARGE_BASE = 2 ** 30;

function pack(a: number, b: number, c: number): Trigram {
  if (a < SMALL && b < SMALL && c < SMALL) return (a << 20) | (b << 10) | c;
  if (a < 65536 && b < 65536 && c < 65536) return LARGE_BASE + (a * 65536 + b) * 65536 + c;
  return String.fromCodePoint(a, b, c);
}

/** All substrings of exactly three code points of `text` (no padding; empty below three). */
export function trigramSet(text: string): TrigramSet {
  const set: TrigramSet = new Set();
  const n = text.length;
  // Sliding window of three code points; `a`/`b` hold the previous two (-1 at the start).
  let a = -1;
  let b = -1;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (a >= 0) set.add(a < SMALL && b < SMALL && c < SMALL ? (a << 20) | (b << 10) | c : pack(a, b, c));
    a = b;
    b = c;
  }
  return set;
}

/** Jaccard similarity |A∩B| / |A∪B| as f32; both sets must be non-empty. */
export function jaccard(a: TrigramSet, b: TrigramSet): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return Math.fround(shared / (a.size + b.size - shared));
}
