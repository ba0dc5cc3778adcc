import { parseJson } from './request.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Chars that continue a number token: a digit run right after one of them is a fraction or exponent part. */
function isNumberChar(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}

/**
 * `text` with every integer literal beyond 2^53 (outside strings, a complete integer token, not a fraction or
 * exponent part) wrapped in quotes. One forward pass: a string is skipped from its opening quote to its closing
 * one (an unterminated string runs to the end, untouched), so no input costs more than linear time.
 */
export function quoteLargeIntegers(text: string): string {
  const n = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      i++;
      continue;
    }
    if ((isDigit(c) || c === MINUS) && (i === 0 || !isNumberChar(text.charCodeAt(i - 1)))) {
      const start = i;
      if (c === MINUS) i++;
      const digits = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const complete = i === n || !isNumberChar(text.charCodeAt(i));
      // A leading zero is not a JSON integer: quoting it would turn invalid JSON into a valid string.
      if (complete && i - digits >= 16 && text.charCodeAt(digits) !== 0x30) {
        const token = text.slice(start, i);
        if (!Number.isSafeInteger(Number(token))) {
          out += `${text.slice(copied, start)}"${token}"`;
          copied = i;
        }
      }
      // Digits after this token's first char are preceded by a number char, so none of them starts a token.
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Parses JSON without losing precision on integers beyond 2^53: such literals become decimal strings.
 * Emitters that write OTLP/JSON int64 fields (timestamps, `intValue`) as bare numbers would otherwise be
 * silently corrupted by a JSON.parse / JSON.stringify round trip; the string form is the canonical
 * protobuf-JSON encoding of int64, so every OTLP/JSON reader accepts it.
 */
export function parseJsonLossless(text: string): unknown {
  // Fast path: without a 16-digit run there is nothing to protect.
  if (!/\d{16}/.test(text)) return parseJson(text);
  const protectedText = quoteLargeIntegers(text);
  if (protectedText === text) return parseJson(text);
  try {
    return parseJson(protectedText);
  } catch {
    // Report the problem at its place in the client's text, not in the quoted copy.
    return parseJson(text);
  }
}
