import { Hono } from 'hono';
import { SIGNAL_TYPES } from '../core/index.js';
import { PLAYGROUND_HTML } from './playground.js';
import { callerOf } from '../service/caller.js';
import { scopeOf } from './agent-keys.js';

/** `GET /playground` (the playground page; `/` is the dashboard), `GET /healthz`, `GET /v1/signal-types` and `GET /v1/whoami` (the caller and what it may do). */
export function metaRoutes(): Hono {
  const routes = new Hono();
  routes.get('/playground', (c) => c.html(PLAYGROUND_HTML));
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/v1/signal-types', (c) => c.json({ signal_types: SIGNAL_TYPES }));
  // Who the token is (the auth check set its scope) and what it may do: the dashboard offers only that.
  routes.get('/v1/whoami', (c) => c.json(callerOf(scopeOf(c))));
  return routes;
}
