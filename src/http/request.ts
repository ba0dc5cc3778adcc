import type { Context } from 'hono';
import { MAX_JSON_DEPTH, tooDeepAt } from '../records/json-depth.js';
import { ApiError } from './errors.js';

/** The media type of the request without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(c: Context): string {
  const header = c.req.header('content-type') ?? '';
  return header.split(';')[0].trim().toLowerCase();
}

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
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return c.req.text();
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw new ApiError(415, 'unsupported_media_type', `Unsupported Content-Encoding ${encoding}; use gzip, deflate or none`);
  }
  const body = c.req.raw.body;
  if (body === null) return '';
  const reader = body.pipeThrough(new DecompressionStream(encoding)).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const chunk = await reader.read().catch((): never => {
      throw new ApiError(400, 'bad_request', `Request body is not valid ${encoding} data`);
    });
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ApiError(413, 'payload_too_large', `Decompressed request body exceeds ${maxBytes} bytes (SIGNALS_MAX_BODY_BYTES)`);
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}
