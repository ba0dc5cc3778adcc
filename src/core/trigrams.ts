/**
 * Character trigram sets, built for every message that repetition or the phrase matcher compares.
 * Trigrams of three ASCII chars, the vast majority, are packed into 21 bits and deduplicated with a
 * shared bitset instead of a hash set; the rest (accents, CJK, emoji) go to a small `Set`.
 */
export interface TrigramSet {
  /** Distinct ASCII trigrams, each packed as `a << 14 | b << 7 | c`. */
  ascii: Int32Array;
  /** Distinct trigrams with a non-ASCII char: a number for BMP chars, a string with an astral one. */
  other: Set<number | string> | undefined;
  size: number;
}

const ASCII_KEYS = 1 << 21;
/** One bit per packed ASCII trigram; always all zero between calls. */
const seen = new Uint32Array(ASCII_KEYS >>> 5);
let scratch = new Int32Array(1024);

function packOther(a: number, b: number, c: number): number | string {
  return a < 65536 && b < 65536 && c < 65536 ? ASCII_KEYS + (a * 65536 + b) * 65536 + c : String.fromCodePoint(a, b, c);
}

/** All substrings of exactly three code points of `text` (no padding; empty below three). */
export function trigramSet(text: string): TrigramSet {
  const n = text.length;
  if (scratch.length < n) scratch = new Int32Array(n);
  let count = 0;
  let other: Set<number | string> | undefined;
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
    if (a >= 0) {
      if ((a | b | c) < 128) {
        const key = (a << 14) | (b << 7) | c;
        const bit = 1 << (key & 31);
        if ((seen[key >>> 5] & bit) === 0) {
          seen[key >>> 5] |= bit;
          scratch[count++] = key;
        }
      } else {
        (other ??= new Set()).add(packOther(a, b, c));
      }
    }
    a = b;
    b = c;
  }
  const ascii = scratch.slice(0, count);
  for (const key of ascii) seen[key >>> 5] = 0;
  return { ascii, other, size: count + (other?.size ?? 0) };
}

/** Number of trigrams in both sets. */
export function sharedTrigrams(x: TrigramSet, y: TrigramSet): number {
  for (const key of y.ascii) seen[key >>> 5] |= 1 << (key & 31);
  let shared = 0;
  for (const key of x.ascii) if ((seen[key >>> 5] & (1 << (key & 31))) !== 0) shared++;
  for (const key of y.ascii) seen[key >>> 5] = 0;
  if (x.other && y.other) {
    const [small, large] = x.other.size <= y.other.size ? [x.other, y.other] : [y.other, x.other];
    for (const t of small) if (large.has(t)) shared++;
  }
  return shared;
}

/** Jaccard similarity |A∩B| / |A∪B| as f32; both sets must be non-empty. */
export function jaccard(a: TrigramSet, b: TrigramSet): number {
  const shared = sharedTrigrams(a, b);
  return Math.fround(shared / (a.size + b.size - shared));
}
