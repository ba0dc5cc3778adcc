import type { Context } from 'hono';

/** The OTLP/HTTP media types (the receivers take both; an answer or error goes back in the request's). */
export const JSON_TYPE = 'application/json';
export const PROTOBUF_TYPE = 'application/x-protobuf';

/** The media type of the request without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(c: Context): string {
  const header = c.req.header('content-type') ?? '';
  return header.split(';')[0].trim().toLowerCase();
}
