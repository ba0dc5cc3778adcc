import { Hono } from 'hono';
import { SIGNAL_TYPES } from '../core/index.js';
import { PLAYGROUND_HTML } from './playground.js';

/** `GET /playground` (the playground page; `/` is the dashboard), `GET /healthz` and `GET /v1/signal-types`. */
export function metaRoutes(): Hono {
  const routes = new Hono();
  routes.get('/playground', (c) => c.html(PLAYGROUND_HTML));
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/v1/signal-types', (c) => c.json({ signal_types: SIGNAL_TYPES }));
  return routes;
}
