import { Hono } from 'hono';
import type { HttpConfig } from './config.js';
import { ApiError } from './errors.js';
import { parseJsonLossless } from './lossless-json.js';
import { readBodyText, requireMediaType } from './request.js';
import { enrichExport } from './traces.js';

/**
 * `POST /traces`: an OTLP/JSON trace export in, the same export enriched with signals out, or, with
 * `forwardUrl` set, forwarded there with the upstream's status and body passed back (so the service can sit
 * between an OTLP exporter and any OTLP/HTTP backend).
 */
export function tracesRoutes(config: HttpConfig): Hono {
  const routes = new Hono();

  routes.post('/traces', async (c) => {
    // OTLP/protobuf gets a 415 here: exporters must be set to JSON encoding.
    requireMediaType(c, ['application/json']);
    const enriched = JSON.stringify(enrichExport(parseJsonLossless(await readBodyText(c, config.maxBodyBytes)), config.maxMessages));
    if (config.forwardUrl === undefined) return c.body(enriched, 200, { 'content-type': 'application/json' });

    let upstream: Response;
    try {
      upstream = await fetch(config.forwardUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: enriched });
    } catch {
      throw new ApiError(502, 'upstream_unreachable', 'Could not reach the OTLP backend at SIGNALS_FORWARD_URL');
    }
    const headers = new Headers();
    const upstreamType = upstream.headers.get('content-type');
    if (upstreamType !== null) headers.set('content-type', upstreamType);
    return new Response(upstream.body, { status: upstream.status, headers });
  });

  return routes;
}
