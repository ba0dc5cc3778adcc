import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  return Object.entries(value).some(([key, item]) => LONE_SURROGATE.test(key) || hasLoneSurrogate(item));
}

/**
 * `JSON.parse`, but strict like the reference's parser (spec §2.6): an escaped unpaired surrogate (`"\ud800"`) is
 * an error. Decoded UTF-8 cannot hold a lone surrogate, so only records that contain a `\uD…` escape are walked.
 * Nesting deeper than {@link MAX_JSON_DEPTH} is an error too (the reference's parser stops at 128 levels), found
 * before `JSON.parse`, whose cost grows faster than linearly with depth.
 */
export function parseRecord(text: string): unknown {
  const deep = tooDeepAt(text);
  if (deep >= 0) throw new SyntaxError(`nesting deeper than ${MAX_JSON_DEPTH} levels at offset ${deep}`);
  const value: unknown = JSON.parse(text);
  if ((text.includes('\\ud') || text.includes('\\uD')) && hasLoneSurrogate(value)) {
    throw new SyntaxError('unpaired surrogate in a \\u escape');
  }
  return value;
}
