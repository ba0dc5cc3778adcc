import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { createSignalsMcpServer } from '../mcp/tools.js';
import type { SignalsApi } from '../service/api.js';
import { errorBody } from './errors.js';
import { scopeOf } from './agent-keys.js';
import { callerOf } from '../service/caller.js';
import { readBodyBytes } from './body-bytes.js';
import { holdBodies, type Intake } from './intake.js';

/**
 * `/mcp`: the signals MCP tools over Streamable HTTP (stateless: a fresh server per request, as the SDK's
 * `createMcpHandler` serves it), behind the same token check as `/v1/*` (`verifyToken`; absent: open). The tools
 * run over `apiOf(c)`: a key scoped to one agent gets that agent's API and only the tools it may call. A request body
 * is held in `intake`'s queue and capped at `maxBodyBytes` (SIGNALS_MAX_BODY_BYTES) as every body under `/v1` is.
 */
export function mcpRoutes(
  apiOf: (c: Context) => SignalsApi,
  verifyToken: ((token: string, c: Context) => Promise<boolean>) | undefined,
  intake: Intake,
  maxBodyBytes: number,
  version?: string,
): Hono {
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
  // After the token check, which names the caller whose share of the queue the body counts against. The SDK caps one
  // body (4 MiB) but not how many are read at once: concurrent uploads held memory past the queue's bound.
  r.use('/mcp', holdBodies(intake));
  r.all('/mcp', async (c) => {
    const api = apiOf(c);
    let handler = handlers.get(api);
    // Only the tools the caller may call (a scoped key: reads and reviews of its agent).
    const caller = callerOf(scopeOf(c));
    if (handler === undefined) handlers.set(api, (handler = createMcpHandler(() => createSignalsMcpServer(api, version, caller))));
    return handler.fetch(await withBodyRead(c, maxBodyBytes));
  });
  return r;
}

/**
 * The request with its body read here (held and capped, inflated from gzip or deflate) for the SDK to parse: a body
 * the queue refuses mid-upload is then answered 503 + Retry-After, not an error of the SDK's own reading.
 */
async function withBodyRead(c: Context, maxBytes: number): Promise<Request> {
  const raw = c.req.raw;
  if (raw.body === null) return raw;
  const body = await readBodyBytes(c, maxBytes);
  const headers = new Headers(raw.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new Request(raw.url, { method: raw.method, headers, body, signal: raw.signal });
}
