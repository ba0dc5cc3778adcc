import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.js';

/** Where Langfuse's OTel SDK sends its exports: `{baseUrl}/api/public/otel/v1/traces`. */
export const LANGFUSE_OTEL_PREFIX = '/api/public/otel';

/** The secret of `Authorization: Basic base64(public key:secret key)`, as Langfuse's exporter sends it; undefined otherwise. */
function basicSecret(header: string): string | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (match === null) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * The API token check for the Langfuse path: Langfuse's SDK can only send Basic auth built from its key pair, so
 * the token (the operator's, or an agent's key: `verifyToken` decides) is accepted as the secret key
 * (`LANGFUSE_SECRET_KEY`, any public key), or as a Bearer token.
 */
export function langfuseTokenAuth(verifyToken: (token: string, c: Context) => Promise<boolean>): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined) return errorResponse(c, 401, 'unauthorized', 'Missing Authorization header: set the Langfuse secret key to the API token');
    const bearer = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    const given = bearer ?? basicSecret(header);
    if (given === undefined) return errorResponse(c, 400, 'bad_request', 'Malformed Authorization header; expected Basic (Langfuse keys) or Bearer <token>');
    if (!(await verifyToken(given, c))) return errorResponse(c, 401, 'unauthorized', 'Invalid token: the Langfuse secret key must be the API token');
    await next();
  };
}
