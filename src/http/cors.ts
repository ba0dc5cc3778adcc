import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.js';
import { setResponseHeader } from './set-header.js';

const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Content-Encoding', 'X-Signals-Client'];

/**
 * CORS and `OPTIONS` for `/v1/*`, ahead of the bearer check (a preflight carries no token). `origins` lists the
 * origins allowed to read answers (`*` for any); none means same origin only: `OPTIONS` still answers with
 * `Allow`, but no `Access-Control-Allow-Origin` is sent. `methodsOf` gives the methods of a known path.
 */
export function cors(origins: readonly string[] | undefined, methodsOf: (path: string) => string[] | undefined): MiddlewareHandler {
  const any = origins?.includes('*') ?? false;
  const allowed = new Set(origins ?? []);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowOrigin = origin === undefined ? undefined : any ? '*' : allowed.has(origin) ? origin : undefined;
    const corsHeaders: Record<string, string> = allowOrigin === undefined ? {} : { 'Access-Control-Allow-Origin': allowOrigin, Vary: 'Origin' };
    if (c.req.method === 'OPTIONS') {
      const methods = methodsOf(c.req.path);
      if (methods === undefined) return errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
      const allow = [...methods, 'OPTIONS'].join(', ');
      const preflight = allowOrigin !== undefined && c.req.header('access-control-request-method') !== undefined;
      const preflightHeaders: Record<string, string> = preflight
        ? { 'Access-Control-Allow-Methods': allow, 'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '), 'Access-Control-Max-Age': '600' }
        : {};
      return c.body(null, 204, { Allow: allow, ...corsHeaders, ...preflightHeaders });
    }
    await next();
    for (const [name, value] of Object.entries(corsHeaders)) setResponseHeader(c, name, value);
  };
}
