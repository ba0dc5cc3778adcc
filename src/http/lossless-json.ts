import { parseJson } from './request.js';

// A string literal (skipped whole, so digits inside strings are never touched) or an integer literal of 16+
// digits that is a complete number token (not a fraction or exponent part).
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

/**
 * Parses JSON without losing precision on integers beyond 2^53: such literals become decimal strings.
 * Emitters that write OTLP/JSON int64 fields (timestamps, `intValue`) as bare numbers would otherwise be
 * silently corrupted by a JSON.parse / JSON.stringify round trip; the string form is the canonical
 * protobuf-JSON encoding of int64, so every OTLP/JSON reader accepts it.
 */
export function parseJsonLossless(text: string): unknown {
  // Fast path: without a 16-digit run there is nothing to protect.
  if (!/\d{16}/.test(text)) return parseJson(text);
  const protectedText = text.replace(TOKENS, (token) =>
    token.startsWith('"') || Number.isSafeInteger(Number(token)) ? token : `"${token}"`,
  );
  return parseJson(protectedText);
}
