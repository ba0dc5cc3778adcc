import { RoundedIntegerError, type ValidateOptions } from '../otlp/validate.js';
import { utf8Text } from './body-bytes.js';
import { NOT_PARSED, parseJsonBytes } from './json-bytes.js';
import { parseJsonLossless } from './lossless-json.js';

/**
 * An OTLP/JSON body (traces or logs) parsed and validated by `validate`, with the result of validating
 * `parseJsonLossless` of its text, at the speed of `JSON.parse`: the body is parsed in pieces ({@link parseJsonBytes}),
 * and only a body with an integer beyond 2^53 where validation reads one (timestamps, `intValue`s written as bare
 * numbers), or a body that is not valid JSON, is parsed again the lossless way (which also words its errors).
 */
export function parseOtlpJson<T>(bytes: Uint8Array, validate: (value: unknown, options: ValidateOptions) => T): T {
  const parsed = parseJsonBytes(bytes);
  if (parsed !== NOT_PARSED) {
    try {
      return validate(parsed, { roundedIntegers: true });
    } catch (err) {
      if (!(err instanceof RoundedIntegerError)) throw err;
    }
  }
  return validate(parseJsonLossless(utf8Text(bytes)), {});
}
