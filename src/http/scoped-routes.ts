import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { type Action, callerOf } from '../service/caller.js';
import { scopeOf } from './agent-keys.js';
import { errorResponse } from './errors.js';
import { LANGFUSE_OTEL_PREFIX } from './langfuse-path.js';

/**
 * The action (src/service/caller.ts) each authenticated route needs, keyed `METHOD pattern` by the pattern the app
 * registers (what Hono matched, not the request's path). This is the only place a route's permission is written:
 * a key may call a route exactly when `GET /v1/whoami` says it may do the route's action, and a route missing here
 * is the operator's alone (test/http/agent-keys.test.ts fails for a `/v1` route without an entry).
 */
export const ROUTE_ACTIONS: Readonly<Record<string, Action>> = {
  // The receivers: a key's export keeps its own agent's spans and log records only (the rest are refused and counted).
  'POST /v1/traces': 'ingest',
  [`POST ${LANGFUSE_OTEL_PREFIX}/v1/traces`]: 'ingest',
  'POST /v1/logs': 'ingest',
  // Who the caller is, the catalogues, and the built-in analysis of the body: nothing stored is read, nothing kept.
  'GET /v1/whoami': 'read',
  'GET /v1/signal-types': 'read',
  'GET /v1/templates': 'read',
  'POST /v1/analyze': 'read',
  'POST /v1/analyze/batch': 'read',
  // Traffic, signals, labels and runs, each answered for a key's agent only (src/service/scoped-api.ts).
  'GET /v1/agents': 'read',
  'GET /v1/traffic': 'read',
  'GET /v1/traffic.svg': 'read',
  'GET /v1/sessions': 'read',
  'GET /v1/traces': 'read',
  'GET /v1/sessions/:id/spans': 'read',
  'GET /v1/traces/:id/spans': 'read',
  'GET /v1/targets/:kind/:id': 'read',
  'GET /v1/signals': 'read',
  'GET /v1/signals/:ref': 'read',
  'GET /v1/signals/:ref/versions': 'read',
  'GET /v1/signals/:ref/labels': 'read',
  'GET /v1/signals/:ref/distribution': 'read',
  'GET /v1/signals/:ref/chart.svg': 'read',
  'GET /v1/signals/:ref/review-queue': 'read',
  'GET /v1/signals/:ref/judges': 'read',
  'GET /v1/signals/:ref/runs': 'read',
  'GET /v1/runs': 'read',
  'GET /v1/runs/:id': 'read',
  'POST /v1/signals/:ref/reviews': 'review',
  'DELETE /v1/signals/:ref/reviews/:id': 'review',
  'POST /v1/signals': 'change_signals',
  'PATCH /v1/signals/:ref': 'change_signals',
  'POST /v1/signals/:ref/state': 'change_signals',
  'POST /v1/signals/test': 'test_signals',
  'POST /v1/signals/:ref/test': 'test_signals',
  'POST /v1/signals/:ref/runs': 'backfill',
  'POST /v1/runs/:id/cancel': 'backfill',
  'POST /v1/signals/:ref/learn': 'train',
  'GET /v1/providers': 'providers',
  'GET /v1/pending': 'pending',
  // Every agent's backlog and this process's receivers together: the operator's.
  'GET /v1/metrics': 'pending',
  'GET /v1/alerts': 'alerts',
  'POST /v1/alerts': 'alerts',
  'PATCH /v1/alerts/:id': 'alerts',
  'POST /v1/alerts/:id/pause': 'alerts',
  'POST /v1/alerts/:id/resume': 'alerts',
  'POST /v1/alerts/backtest': 'alerts',
  'POST /v1/alerts/:id/backtest': 'alerts',
  'GET /v1/alerts/:id/history': 'alerts',
};

/**
 * Refuses (403) a key scoped to one agent a route whose action (ROUTE_ACTIONS) its caller may not do, or a route
 * without an action (deny by default); the operator's token passes. Every route the request matches is checked (a
 * path two sub-apps register, such as `POST /v1/signals/test`, needs each one's action). A request that matches no
 * route goes on to the 404 or 405, which reads nothing.
 */
export function scopedRoutesOnly(): MiddlewareHandler {
  return async (c, next) => {
    const scope = scopeOf(c);
    if (scope === undefined) return next();
    const { can } = callerOf(scope);
    // HEAD is dispatched as GET, so its matched routes are the GET ones; method ALL is middleware (`app.use`).
    const routes = new Set(matchedRoutes(c).filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    for (const route of routes) {
      const action = ROUTE_ACTIONS[route];
      if (action !== undefined && can[action]) continue;
      const why = action === undefined ? "is the operator's" : `needs "${action}", which is the operator's`;
      return errorResponse(c, 403, 'forbidden', `This key opens agent "${scope.agent}" only: ${c.req.method} ${c.req.path} ${why} (use the operator's token)`);
    }
    return next();
  };
}
