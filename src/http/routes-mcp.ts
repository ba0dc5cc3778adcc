import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { createSignalsMcpServer } from '../mcp/tools.js';
import type { SignalsApi } from '../service/api.js';
import { errorBody } from './errors.js';
import { scopeOf } from './agent-keys.js';
import { callerOf } from '../service/caller.js';

/**
 * `/mcp`: the signals MCP tools over Streamable HTTP (stateless: a fresh server per request, as the SDK's
 * `createMcpHandler` serves it), behind the same token check as `/v1/*` (`verifyToken`; absent: open). The tools
 * run over `apiOf(c)`: a key scoped to one agent gets that agent's API and only the tools it may call.
 */
export function mcpRoutes(apiOf: (c: Context) => SignalsApi, verifyToken: ((token: string, c: Context) => Promise<boolean>) | undefined, version?: string): Hono {
  const r = new Hono();
  // One handler per API (the operator's, each scoped agent's), built on first use: Workers forbid some work (timers,
  // random) at module scope.
  const handlers = new Map<SignalsApi, McpHttpHandler>();
  if (verifyToken !== undefined) {
    r.use(
      '/mcp',
      bearerAuth({
        verifyToken,
        noAuthenticationHeader: { message: errorBody('unauthorized', 'Missing Authorization: Bearer <token> header') },
        invalidAuthenticationHeader: { message: errorBody('bad_request', 'Malformed Authorization header; expected Bearer <token>') },
        invalidToken: { message: errorBody('unauthorized', 'Invalid bearer token') },
      }),
    );
  }
  r.all('/mcp', (c) => {
    const api = apiOf(c);
    let handler = handlers.get(api);
    // Only the tools the caller may call (a scoped key: reads and reviews of its agent).
    const caller = callerOf(scopeOf(c));
    if (handler === undefined) handlers.set(api, (handler = createMcpHandler(() => createSignalsMcpServer(api, version, caller))));
    return handler.fetch(c.req.raw);
  });
  return r;
}
