import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { StoreFaultLog } from '../store/faults.js';
import { encodeRpcStatus } from '../otlp/proto-response.js';
import { mediaType, PROTOBUF_TYPE } from './media-type.js';

/** Machine-readable error codes of the API (the `error.code` field). */
export type ErrorCode =
  | 'bad_request'
  | 'malformed_json'
  | 'unknown_format'
  | 'invalid_conversation'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'request_timeout'
  | 'too_many_messages'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'forward_loop'
  | 'upstream_error'
  | 'invalid_otlp'
  | 'method_not_allowed'
  | 'store_unavailable'
  | 'ingest_busy'
  | 'internal_error';

/** The JSON body of every error response: `{"error":{"code","message"}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** An error that maps to one HTTP status and a message safe to show to the client. */
export class ApiError extends Error {
  /** HTTP status sent with the error body. */
  readonly status: ContentfulStatusCode;
  /** Machine-readable code. */
  readonly code: ErrorCode;
  /** Seconds for the `Retry-After` header (503s). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The 503 for a store shortage (full or failing disk, busy or unreachable database), logged once per episode
 * by `log`; undefined for any other error.
 */
export function storeUnavailable(err: unknown, log: StoreFaultLog): ApiError | undefined {
  const fault = log.failed(err);
  if (fault === undefined) return undefined;
  return new ApiError(503, 'store_unavailable', `Service temporarily unavailable: ${fault.cause}; retry after ${fault.retryAfterSeconds} s`, fault.retryAfterSeconds);
}

/** Builds the error body. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/**
 * The answer of an {@link ApiError}: the JSON error body, or for a request to an OTLP receiver in OTLP/protobuf
 * (`POST …/v1/traces`, `…/v1/logs`) a `google.rpc.Status` protobuf body, as the OTLP/HTTP spec asks; with
 * `Retry-After` when the error gives one. Whatever raised it: the route, or the middleware before it (the body limit,
 * the intake's queue).
 */
export function apiErrorResponse(c: Context, err: ApiError): Response {
  if (mediaType(c) !== PROTOBUF_TYPE || !OTLP_RECEIVER.test(c.req.path)) return errorResponse(c, err.status, err.code, err.message, err.retryAfterSeconds);
  const headers: Record<string, string> = { 'content-type': PROTOBUF_TYPE };
  if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
  return c.body(encodeRpcStatus(err.status, err.message) as Uint8Array<ArrayBuffer>, err.status, headers);
}

/** The paths of the OTLP receivers: /v1/traces, /v1/logs, the Langfuse path's /v1/traces. */
const OTLP_RECEIVER = /\/v1\/(traces|logs)$/;

/** Sends an error response (with `Retry-After` when given). */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string, retryAfterSeconds?: number): Response {
  if (retryAfterSeconds !== undefined) c.header('Retry-After', String(retryAfterSeconds));
  return c.json(errorBody(code, message), status);
}
