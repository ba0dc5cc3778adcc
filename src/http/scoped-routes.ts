import type { MiddlewareHandler } from 'hono';
import { scopeOf } from './agent-keys.js';
import { errorResponse } from './errors.js';
import { LANGFUSE_OTEL_PREFIX } from './langfuse-path.js';

/**
 * The routes a key scoped to one agent may call, each answering for that agent only (the scoped API, the scoped
 * ingest); every other route, including any added later, is refused to it (deny by default). Agent-wide things stay
 * the operator's: signals of other agents and of every agent (`*`), signal changes, tests and backfills (they spend
 * the operator's LLM budget), alerts, providers, pending work.
 */
const ALLOWED: ReadonlyArray<readonly [string, RegExp]> = [
  // Ingest: spans and log records of the key's agent only.
  ['POST', /^\/v1\/(traces|logs)$/],
  ['POST', new RegExp(`^${LANGFUSE_OTEL_PREFIX}/v1/traces$`)],
  // The explorer and the dashboard's reads, over the key's agent.
  ['GET', /^\/v1\/(agents|sessions|traces|traffic|traffic\.svg|signals|templates|signal-types|whoami)$/],
  ['GET', /^\/v1\/(sessions|traces)\/[^/]+\/spans$/],
  ['GET', /^\/v1\/targets\/[^/]+\/[^/]+$/],
  // The key's agent's own signals: definition, versions, labels, charts, the review queue, judges; reviews of its targets.
  ['GET', /^\/v1\/signals\/[^/]+(\/(versions|labels|distribution|review-queue|judges|runs|chart\.svg))?$/],
  ['GET', /^\/v1\/runs\/[^/]+$/],
  ['POST', /^\/v1\/signals\/[^/]+\/reviews$/],
  ['DELETE', /^\/v1\/signals\/[^/]+\/reviews\/[^/]+$/],
  // Built-in analysis of the conversations in the body: reads and keeps nothing.
  ['POST', /^\/v1\/analyze(\/batch)?$/],
];

/** Refuses (403) a request of a scoped key to a route not in the allow list; the operator's token passes. */
export function scopedRoutesOnly(): MiddlewareHandler {
  return async (c, next) => {
    const scope = scopeOf(c);
    if (scope === undefined || c.req.method === 'OPTIONS') return next();
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (ALLOWED.some(([m, path]) => m === method && path.test(c.req.path))) return next();
    return errorResponse(c, 403, 'forbidden', `This key opens agent "${scope.agent}" only: ${c.req.method} ${c.req.path} is the operator's (use the operator's token)`);
  };
}
