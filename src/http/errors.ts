import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Machine-readable error codes of the API (the `error.code` field). */
export type ErrorCode =
  | 'bad_request'
  | 'malformed_json'
  | 'unknown_format'
  | 'invalid_conversation'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'too_many_messages'
  | 'unauthorized'
  | 'not_found'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'forward_loop'
  | 'invalid_otlp'
  | 'method_not_allowed'
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

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** Builds the error body. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Sends an error response. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string): Response {
  return c.json(errorBody(code, message), status);
}
