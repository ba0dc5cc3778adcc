import fc from 'fast-check';
import * as phrases from '../../src/core/phrases.js';
import type { Message } from '../../src/core/types.js';

// Random conversations that reach every detector: phrase-list texts, repeated messages, error texts for the
// tool-result families, and tool calls over a small alphabet so that retries, drifts and oscillations occur.

const knownPhrases = Object.values(phrases).flatMap((v) => (Array.isArray(v) ? (v as string[]) : []));
const errorTexts = ['Error 503 Service Unavailable', 'HTTP 429 too many requests', 'syntax error near json', 'permission denied', 'invalid argument', 'request timed out', 'ECONNREFUSED', 'tool not found'];
const sentences = ['please find my order number twelve for me now', 'I am sorry, I cannot find any order with that number', 'WHY IS THIS STILL NOT WORKING', 'what??', 'ok thanks!!'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...knownPhrases), fc.string({ maxLength: 8 }), fc.boolean()).map(([p, noise, upper]) => (upper ? p.toUpperCase() : p) + noise) },
  { weight: 3, arbitrary: fc.constantFrom(...sentences) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('') },
);

const toolCall = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('search', 'book', 'cancel'), fc.constantFrom('{"q":1}', '{"q":2}', '{"q":1.0}', '"q"')).map(([n, a]) => `{"name":"${n}","arguments":${a}}`) },
  { weight: 1, arbitrary: fc.constantFrom('search(x)', '{', '{"function":"book"}', '[1]') },
);

/** One row: mostly well-formed, sometimes malformed (missing fields, not an object). */
export const rowArbitrary: fc.Arbitrary<Message> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ from: fc.constantFrom('human', 'gpt'), value: text }) },
  { weight: 3, arbitrary: fc.record({ from: fc.constant('function_call'), value: toolCall }) },
  { weight: 2, arbitrary: fc.record({ from: fc.constant('observation'), value: fc.oneof(fc.constantFrom(...errorTexts), fc.constant('{"ok":true}')) }) },
  { weight: 1, arbitrary: fc.record({ from: fc.constantFrom('system', 'tool', ''), value: text }) },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.record({ value: fc.integer() })) as unknown as fc.Arbitrary<Message> },
);

/** A conversation of `minLength` (default 0) to `maxLength` rows. */
export function conversationArbitrary(maxLength: number, minLength = 0): fc.Arbitrary<Message[]> {
  return fc.array(rowArbitrary, { minLength, maxLength });
}
