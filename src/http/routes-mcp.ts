import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { createSignalsMcpServer } from '../mcp/tools.js';
import type { SignalsApi } from '../service/api.js';
import { errorBody } from './errors.js';

/**
 * `/mcp`: the signals MCP tools over Streamable HTTP (stateless: a fresh server per request, as the SDK's
 * `createMcpHandler` serves it), behind the same bearer token as `/v1/*`.
 */
export function mcpRoutes(api: SignalsApi, apiToken: string | undefined, version?: string): Hono {
  const r = new Hono();
  let handler: McpHttpHandler | undefined;
  if (apiToken !== undefined) {
    r.use(
      '/mcp',
      bearerAuth({
        token: apiToken,
        noAuthenticationHeader: { message: errorBody('unauthorized', 'Missing Authorization: Bearer <token> header') },
        invalidAuthenticationHeader: { message: errorBody('bad_request', 'Malformed Authorization header; expected Bearer <token>') },
        invalidToken: { message: errorBody('unauthorized', 'Invalid bearer token') },
      }),
    );
  }
  // Built on first use: Workers forbid some work (timers, random) at module scope.
  r.all('/mcp', (c) => (handler ??= createMcpHandler(() => createSignalsMcpServer(api, version))).fetch(c.req.raw));
  return r;
}
