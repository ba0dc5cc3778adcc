import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.js';
import { mediaType } from './media-type.js';

/** The header a non-browser client (the CLI, the dashboard's own script) may send instead of a JSON body. */
export const CLIENT_HEADER = 'X-Signals-Client';

/** The Host names a server without a token answers by default: loopback only (DNS rebinding gets a foreign name). */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

// The content types a cross-site page can send without a CORS preflight (a form, or fetch in no-cors mode).
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * Browser-facing defaults when no API token is set (with a token, a cross-site page cannot send the
 * `Authorization` header, so none of this is needed): the `Host` must be one the operator allows (`allowedHosts`;
 * none given: any, which is the Workers case where the platform routes by host), and a state-changing request must
 * carry a JSON (or other non-form) content type or the `X-Signals-Client` header, and an `Origin`, when sent, of this
 * server or of `corsOrigins`. OTLP exporters (protobuf or JSON, no `Origin`) pass unchanged.
 */
export function browserGuard(options: {
  token?: string;
  allowedHosts?: readonly string[];
  corsOrigins?: readonly string[];
  /** The methods of a known path: a request no route takes changes nothing and gets its 404/405. */
  methodsOf: (path: string) => string[] | undefined;
}): MiddlewareHandler {
  const hosts = options.allowedHosts === undefined ? undefined : new Set(options.allowedHosts.map(hostName));
  const origins = new Set(options.corsOrigins ?? []);
  return async (c, next) => {
    if (options.token !== undefined) return next();
    if (hosts !== undefined) {
      const host = c.req.header('host');
      if (host === undefined || !hosts.has(hostName(host))) {
        return errorResponse(
          c,
          403,
          'forbidden',
          'Host not allowed: without SIGNALS_API_TOKEN this server answers only the names in SIGNALS_ALLOWED_HOSTS (default localhost, 127.0.0.1, [::1])',
        );
      }
    }
    // `/mcp` answers every method through one handler (`app.all`), which the route table does not list.
    const known = c.req.path === '/mcp' || options.methodsOf(c.req.path)?.includes(c.req.method);
    if (SAFE_METHODS.has(c.req.method) || !known) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && !origins.has(origin) && !origins.has('*')) {
      return errorResponse(c, 403, 'forbidden', 'Cross-origin request refused: without SIGNALS_API_TOKEN, state-changing requests must come from this origin (or SIGNALS_CORS_ORIGINS)');
    }
    const type = mediaType(c);
    // Only POST: PUT, PATCH and DELETE cannot be sent cross-site without a preflight this server does not approve.
    if (c.req.method === 'POST' && (type === '' || SIMPLE_TYPES.has(type)) && c.req.header(CLIENT_HEADER) === undefined) {
      const why = `without SIGNALS_API_TOKEN, a POST needs Content-Type: application/json (or another type a cross-site form cannot send) or an ${CLIENT_HEADER} header`;
      if (type === '') return errorResponse(c, 403, 'forbidden', `No Content-Type: ${why}`);
      return errorResponse(c, 415, 'unsupported_media_type', `Content-Type ${type} refused: ${why}`);
    }
    return next();
  };
}
