import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { parseJsonLossless, quoteLargeIntegers } from './lossless-json.js';

// The regex the hand scanner replaced: right on valid JSON, super-quadratic on an unterminated string of `\"`.
const OLD_TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;
const oldQuote = (text: string) =>
  text.replace(OLD_TOKENS, (token) => (token.startsWith('"') || Number.isSafeInteger(Number(token)) ? token : `"${token}"`));

const bigInt = fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map((n) => ({ raw: n.toString() }));
const leaf = fc.oneof(
  bigInt,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '1', '2', 'e', '.', '-', ' ', '\u00e9') }),
  fc.boolean(),
  fc.constant(null),
);
/** Valid JSON text with big integer literals written bare. */
const jsonText = fc
  .letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3 })),
  }))
  .value.map(function write(value: unknown): string {
    if (typeof value === 'object' && value !== null && 'raw' in value) return (value as { raw: string }).raw;
    if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
    if (typeof value === 'object' && value !== null) {
      return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`;
    }
    return JSON.stringify(value);
  });

describe('parseJsonLossless', () => {
  it('quotes exactly what the former regex quoted, on valid JSON', () => {
    fc.assert(fc.property(jsonText, (text) => {
        expect(quoteLargeIntegers(text)).toBe(oldQuote(text));
      }), { numRuns: 2000 });
  });

  it('keeps integers beyond 2^53 exact, as decimal strings; leaves safe integers, fractions and strings alone', () => {
    expect(parseJsonLossless('{"t":1700000000123456789,"s":1234567890123456,"f":12345678901234567.5,"e":12345678901234567e2,"q":"12345678901234567890","n":-98765432109876543210}')).toEqual({
      t: '1700000000123456789',
      s: 1234567890123456,
      f: 12345678901234567.5,
      e: 12345678901234567e2,
      q: '12345678901234567890',
      n: '-98765432109876543210',
    });
  });

  it('does not turn a leading-zero literal (invalid JSON) into a valid string', () => {
    expect(() => parseJsonLossless('[00123456789012345678]')).toThrow(ApiError);
  });

  it('an unterminated string full of \\" and digit runs is a 400 at once', () => {
    const text = `{"a":"${'\\"1234567890123456'.repeat(20_000)}`;
    const error = (() => {
      try {
        parseJsonLossless(text);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
  });
});
