import type { Context } from 'hono';
import { MAX_JSON_DEPTH, tooDeepAt } from '../records/json-depth.js';
import { readBodyBytes } from './body-bytes.js';
import { ApiError } from './errors.js';
import { mediaType } from './media-type.js';

/** Throws 415 unless the request's media type is one of `allowed`. */
export function requireMediaType(c: Context, allowed: readonly string[]): string {
  const type = mediaType(c);
  if (!allowed.includes(type)) {
    const got = type === '' ? 'no Content-Type' : `Content-Type ${type}`;
    throw new ApiError(415, 'unsupported_media_type', `Expected ${allowed.join(' or ')}, got ${got}`);
  }
  return type;
}

/**
 * Parses `text` as JSON, turning a syntax error into a 400 whose message names the problem. Nesting deeper than
 * {@link MAX_JSON_DEPTH} is refused before parsing: `JSON.parse` costs more than linear time in the depth.
 */
export function parseJson(text: string, what = 'Request body'): unknown {
  if (text.trim() === '') throw new ApiError(400, 'malformed_json', `${what} is empty`);
  const deep = tooDeepAt(text);
  if (deep >= 0) throw new ApiError(400, 'malformed_json', `${what} nests deeper than ${MAX_JSON_DEPTH} levels at offset ${deep}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'malformed_json', `${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads the body as UTF-8 text, inflating `Content-Encoding: gzip`/`deflate` (the OTel Collector's otlphttp
 * exporter gzips by default). The inflated size is capped too, because the body-limit middleware only sees
 * the compressed bytes.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  // Not fatal: invalid UTF-8 becomes replacement characters, as `c.req.text()` gives them.
  return new TextDecoder().decode(await readBodyBytes(c, maxBytes));
}
