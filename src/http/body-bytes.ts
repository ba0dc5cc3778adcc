import type { Context } from 'hono';
import { ApiError } from './errors.js';
import { heldBodyOf } from './intake.js';
import { readCapped } from './read-capped.js';

/** The request's `Content-Encoding`, lower-cased; `identity` when absent. */
export function contentEncoding(c: Context): string {
  return (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
}

/**
 * The request body as bytes, inflating `Content-Encoding: gzip`/`deflate` (OTLP exporters gzip JSON and
 * protobuf alike) and capping the inflated size, since the body-limit middleware sees only compressed bytes. The
 * intake's hold on the body (./intake.ts) grows with the inflated bytes as they come, then holds the body's size.
 */
export async function readBodyBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const encoding = contentEncoding(c);
  if (encoding !== 'identity' && encoding !== '' && encoding !== 'gzip' && encoding !== 'deflate') {
    throw new ApiError(415, 'unsupported_media_type', `Unsupported Content-Encoding ${encoding}; use gzip, deflate or none`);
  }
  const body = c.req.raw.body;
  if (body === null) return new Uint8Array();
  const stream = encoding === 'gzip' || encoding === 'deflate' ? body.pipeThrough(new DecompressionStream(encoding)) : body;
  const held = heldBodyOf(c);
  const bytes = await readCapped(
    stream,
    maxBytes,
    () => new ApiError(413, 'payload_too_large', `Decompressed request body exceeds ${maxBytes} bytes (SIGNALS_MAX_BODY_BYTES)`),
    // The intake's 503 fails the body's stream: it stays the answer.
    (err) => (err instanceof ApiError ? err : new ApiError(400, 'bad_request', `Request body is not valid ${encoding} data`)),
    held?.hold,
  );
  held?.settle(bytes.byteLength);
  return bytes;
}

/** `bytes` as UTF-8 text; invalid UTF-8 is a 400, not replacement characters in the forwarded export. */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, 'malformed_json', 'Request body is not valid UTF-8');
  }
}
