/**
 * Forwarding an enriched OTLP export to `SIGNALS_FORWARD_URL`. The upstream's answer is read in full before the
 * client gets any status, within one deadline covering connect, headers and body: a hung upstream is a 504, one
 * that breaks off mid-answer a 502, never a hung client or a 200 with a truncated body.
 */
import { ApiError } from './errors.js';
import { readCapped } from './read-capped.js';

/** Sent with every forwarded export; a service that would forward an export carrying it refuses (no loops). */
export const HOP_HEADER = 'x-signals-forwarded';

/** Largest upstream answer read (an `ExportTraceServiceResponse` or an error body is small). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** What the upstream answered, buffered. */
export interface UpstreamAnswer {
  status: number;
  contentType: string | null;
  /** `Retry-After` of a 429/503 answer, passed back so the exporter waits as the backend asked. */
  retryAfter: string | null;
  body: Uint8Array;
}

/** Where and how to forward. */
export interface ForwardTarget {
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
}

async function readAll(response: Response): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  return readCapped(response.body, MAX_ANSWER_BYTES, () => new ApiError(502, 'upstream_unreachable', `The OTLP backend's answer exceeds ${MAX_ANSWER_BYTES} bytes`));
}

/**
 * POSTs `body` to the target with the configured headers, the hop header and `contentType`, and returns the
 * buffered answer. Throws `ApiError` 504 (`upstream_timeout`) past the deadline and 502 (`upstream_unreachable`)
 * when the upstream cannot be reached or its answer breaks off.
 */
export async function forwardExport(target: ForwardTarget, body: Uint8Array, contentType: string): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), target.timeoutMs);
  let stage = 'reach';
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': contentType, [HOP_HEADER]: '1' },
      body,
      signal: controller.signal,
      // Never followed: fetch would carry SIGNALS_FORWARD_HEADERS (a backend's key) and the traffic to wherever the
      // Location header points, another origin included.
      redirect: 'manual',
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new ApiError(
        502,
        'upstream_unreachable',
        `The OTLP backend at SIGNALS_FORWARD_URL answered a redirect (HTTP ${response.status}); exports are not forwarded to where it points: set SIGNALS_FORWARD_URL to the final URL`,
      );
    }
    stage = 'read the answer of';
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body: await readAll(response),
    };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (controller.signal.aborted) {
      throw new ApiError(504, 'upstream_timeout', `The OTLP backend at SIGNALS_FORWARD_URL did not answer within ${target.timeoutMs} ms (SIGNALS_FORWARD_TIMEOUT_MS)`);
    }
    throw new ApiError(502, 'upstream_unreachable', `Could not ${stage} the OTLP backend at SIGNALS_FORWARD_URL`);
  } finally {
    clearTimeout(timer);
  }
}
