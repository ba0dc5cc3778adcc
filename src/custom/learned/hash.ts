/**
 * FNV-1a (32-bit) over UTF-16 code units, fed piece by piece so n-grams are hashed without building strings.
 * Integer-only (Math.imul), so every JavaScript engine gives the same index for the same text.
 */
export const FNV_OFFSET = 0x811c9dc5;

/** Mixes one code unit into a running FNV-1a hash. */
export function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193) >>> 0;
}

/** Mixes every code unit of `text[from, to)` into a running hash. */
export function mixText(hash: number, text: string, from = 0, to = text.length): number {
  let h = hash;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The FNV-1a hash of a whole string. */
export function hashText(text: string): number {
  return mixText(FNV_OFFSET, text);
}
