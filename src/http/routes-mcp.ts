import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { type Context, Hono } from 'hono';
import { createSignalsMcpServer } from '../mcp/tools.js';
import type { SignalsApi } from '../service/api.js';
import { scopeOf } from './agent-keys.js';
import { callerOf } from '../service/caller.js';
import { readBodyBytes } from './body-bytes.js';

/**
 * `/mcp`: the signals MCP tools over Streamable HTTP (stateless: a fresh server per request, as the SDK's
 * `createMcpHandler` serves it). The app puts it behind the same token check, ingest queue and body limit as `/v1/*`.
 * The tools run over `apiOf(c)`: a key scoped to one agent gets that agent's API and only the tools it may call.
 */
export function mcpRoutes(apiOf: (c: Context) => SignalsApi, maxBodyBytes: number, version?: string): Hono {
  const r = new Hono();
  // One handler per API (the operator's, each scoped agent's), built on first use: Workers forbid some work (timers,
  // random) at module scope.
  const handlers = new Map<SignalsApi, McpHttpHandler>();
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
