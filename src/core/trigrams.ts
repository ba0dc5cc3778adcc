import { isBmpOnly } from './text.js';

/** A character trigram, packed into a number when all three code points are in the BMP. */
export type Trigram = number | string;

/**
 * The set of all substrings of exactly three code points of `text` (no padding; empty below three).
 * BMP trigrams are packed into one number (< 2^48), which makes the sets cheap to build and compare.
 */
export function trigramSet(text: string): Set<Trigram> {
  const set = new Set<Trigram>();
  if (isBmpOnly(text)) {
    for (let i = 0; i + 2 < text.length; i++) {
      set.add((text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1)) * 65536 + text.charCodeAt(i + 2));
    }
    return set;
  }
  const points = Array.from(text, (ch) => ch.codePointAt(0) as number);
  for (let i = 0; i + 2 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const c = points[i + 2];
    set.add(a < 65536 && b < 65536 && c < 65536 ? (a * 65536 + b) * 65536 + c : String.fromCodePoint(a, b, c));
  }
  return set;
}

/** Jaccard similarity |A∩B| / |A∪B| as f32; both sets must be non-empty. */
export function jaccard(a: Set<Trigram>, b: Set<Trigram>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return Math.fround(shared / (a.size + b.size - shared));
}
