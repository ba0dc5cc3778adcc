import { type Context, Hono } from 'hono';
import type { SignalsApi } from '../service/api.js';
import type { Intake } from './intake.js';

/** The Prometheus text format's media type (version 0.0.4), which scrapers ask for and parse. */
const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /v1/metrics`: this process's receiver counters and ingest queue, and the store's backlog (settling, LLM jobs,
 * notifications), in the Prometheus text format, behind the operator's token (a scrape config's
 * `authorization: { credentials: ... }`). Without a store only the receivers' part is answered.
 */
export function metricsRoutes(intake: Intake, apiOf: ((c: Context) => SignalsApi) | undefined): Hono {
  const routes = new Hono();
  routes.get('/metrics', async (c) => {
    const pending = apiOf === undefined ? undefined : await apiOf(c).pending();
    return c.body(intake.metrics.render(pending), 200, { 'content-type': PROMETHEUS_TYPE });
  });
  return routes;
}
