/**
 * Character-level helpers shared by the detectors. Everything here counts Unicode code points
 * (never UTF-16 units) and uses the reference's notion of whitespace: the Unicode `White_Space`
 * property, which differs from JavaScript's `\s` (no U+FEFF, but U+0085).
 */

/** Unicode `White_Space` as a regex class body, for building patterns. */
export const WHITESPACE_CLASS = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';

/** True when the UTF-16 unit `c` is Unicode `White_Space` (all such chars are in the BMP). */
export function isWhitespaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** True for the 32 ASCII punctuation chars that token trimming strips. */
export function isAsciiPunctuationCode(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/** Strips Unicode whitespace at the start (like Rust's `trim_start`). */
export function trimStartWhitespace(text: string): string {
  let i = 0;
  while (i < text.length && isWhitespaceCode(text.charCodeAt(i))) i++;
  return i === 0 ? text : text.slice(i);
}

/** Strips Unicode whitespace at both ends (like Rust's `trim`). */
export function trimWhitespace(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespaceCode(text.charCodeAt(end - 1))) end--;
  let i = 0;
  while (i < end && isWhitespaceCode(text.charCodeAt(i))) i++;
  return i === 0 && end === text.length ? text : text.slice(i, end);
}

/** Splits on runs of Unicode whitespace, dropping empty pieces. */
export function splitWhitespace(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isWhitespaceCode(text.charCodeAt(i))) {
      if (start >= 0) {
        out.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when the string has no surrogate units, so UTF-16 length equals the code point count. */
export function isBmpOnly(text: string): boolean {
  return !SURROGATE.test(text);
}

/** Number of code points in `text`. */
export function codePointLength(text: string): number {
  if (isBmpOnly(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** UTF-16 index just after the first `count` code points of `text` (or `text.length`). */
export function indexAfterCodePoints(text: string, count: number): number {
  let i = 0;
  for (let n = 0; n < count && i < text.length; n++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else {
      i++;
    }
  }
  return i;
}

/** The first `count` code points of `text`. */
export function firstCodePoints(text: string, count: number): string {
  if (text.length <= count) return text;
  if (isBmpOnly(text)) return text.slice(0, count);
  return text.slice(0, indexAfterCodePoints(text, count));
}

/** The last `count` code points of `text`. */
export function lastCodePoints(text: string, count: number): string {
  const total = codePointLength(text);
  if (total <= count) return text;
  return text.slice(indexAfterCodePoints(text, total - count));
}

/** Bytes that the UTF-8 encoding of the code point (or lone surrogate, as U+FFFD) at `i` takes, and its UTF-16 width. */
export function utf8Width(text: string, i: number): { bytes: number; units: number } {
  const c = text.charCodeAt(i);
  if (c < 0x80) return { bytes: 1, units: 1 };
  if (c < 0x800) return { bytes: 2, units: 1 };
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return { bytes: 4, units: 2 };
  }
  return { bytes: 3, units: 1 };
}

/** Length of `text` in UTF-8 bytes (lone surrogates count as U+FFFD). */
export function utf8Length(text: string, end = text.length): number {
  let bytes = 0;
  for (let i = 0; i < end; ) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes++;
      i++;
    } else {
      const w = utf8Width(text, i);
      bytes += w.bytes;
      i += w.units;
    }
  }
  return bytes;
}
