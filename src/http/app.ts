import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { HttpConfig } from './config.js';
import { cors } from './cors.js';
import { ApiError, apiErrorResponse, errorBody, errorResponse, storeUnavailable } from './errors.js';
import { StoreFaultLog } from '../store/faults.js';
import { routeMethods } from './route-methods.js';
import { securityHeaders } from './security-headers.js';
import { browserGuard } from './browser-guard.js';
import { analyzeRoutes } from './routes-analyze.js';
import { metaRoutes } from './routes-meta.js';
import { tracesRoutes } from './routes-traces.js';
import { logsRoutes } from './routes-logs.js';
import { LANGFUSE_OTEL_PREFIX, langfuseTokenAuth } from './langfuse-path.js';
import { customRoutes } from './routes-custom.js';
import { serviceErrorResponse, signalsRoutes } from './routes-signals.js';
import { dashboardApiRoutes, dashboardPages } from './dashboard/routes.js';
import { mcpRoutes } from './routes-mcp.js';
import { providersRoutes } from './routes-providers.js';
import { ServiceError, type SignalsApi } from '../service/api.js';
import { scopedApi } from '../service/scoped-api.js';
import { callerVerifier, scopeOf } from './agent-keys.js';
import { scopedRoutesOnly } from './scoped-routes.js';
import { DEFAULT_INGEST_QUEUE_BYTES, DEFAULT_INGEST_QUEUE_TENANT_SHARE } from './ingest-queue.js';
import { countAnswers, createIntake, holdBodies } from './intake.js';
import { metricsRoutes } from './routes-metrics.js';

export type { HttpConfig, HttpEnv } from './config.js';
export { configFromEnv, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_MESSAGES } from './config.js';

/**
 * The HTTP service as one Hono app, the same on Workers and Node. The bearer token and the body limit guard
 * `/v1/*` only: `/` (dashboard), `/dashboard/*`, `/playground` and `/healthz` stay open for browsers and health probes.
 */
export function createApp(config: HttpConfig): Hono {
  const app = new Hono();
  const methodsOf = routeMethods(app);
  const storeLog = new StoreFaultLog('signals HTTP');
  // One bound for every receiver of exports (they hold the same memory and wait for the same store), one set of counters.
  // Without agent keys every caller is the operator, one tenant: a share would only shrink the queue, protecting nobody.
  const tenantShare = (config.agentKeys ?? []).length === 0 ? 1 : (config.ingestQueueTenantShare ?? DEFAULT_INGEST_QUEUE_TENANT_SHARE);
  const intake = createIntake(config.ingestQueueBytes ?? DEFAULT_INGEST_QUEUE_BYTES, tenantShare);

  app.use('*', securityHeaders());
  // Before everything that reads or changes state: a foreign Host (DNS rebinding) or a cross-site form post.
  app.use('*', browserGuard({ token: config.apiToken, allowedHosts: config.allowedHosts, corsOrigins: config.corsOrigins, methodsOf }));
  // Before the bearer check: a CORS preflight carries no token.
  app.use('/v1/*', cors(config.corsOrigins, methodsOf));
  // The operator's token opens everything; a key of SIGNALS_AGENT_KEYS opens one agent (the scope of the request).
  const verifyToken = config.apiToken === undefined ? undefined : callerVerifier(config.apiToken, config.agentKeys ?? []);
  // The MCP tools (Streamable HTTP on /mcp, over the store's API) sit behind the same token, queue and body limit as /v1:
  // the SDK caps one body (4 MiB) but not how many it reads at once.
  const mcp = config.signals === undefined ? [] : ['/mcp'];
  if (verifyToken !== undefined) {
    const auth = bearerAuth({
      verifyToken,
      noAuthenticationHeader: { message: errorBody('unauthorized', 'Missing Authorization: Bearer <token> header') },
      invalidAuthenticationHeader: { message: errorBody('bad_request', 'Malformed Authorization header; expected Bearer <token>') },
      invalidToken: { message: errorBody('unauthorized', 'Invalid bearer token') },
    });
    for (const path of ['/v1/*', ...mcp]) app.use(path, auth);
  }
  // Langfuse's OTel SDK posts to its own path with Basic auth from its key pair: the same receiver, the same token.
  if (verifyToken !== undefined) app.use(`${LANGFUSE_OTEL_PREFIX}/*`, langfuseTokenAuth(verifyToken));
  // A scoped key reaches only the routes that answer for its agent (deny by default).
  for (const path of ['/v1/*', `${LANGFUSE_OTEL_PREFIX}/*`]) app.use(path, scopedRoutesOnly());
  // The receivers count every answer, those of the middleware below too (a body refused by the queue or the limit).
  app.use('/v1/traces', countAnswers(intake, 'traces'));
  app.use(`${LANGFUSE_OTEL_PREFIX}/v1/traces`, countAnswers(intake, 'traces'));
  app.use('/v1/logs', countAnswers(intake, 'logs'));
  for (const path of ['/v1/*', `${LANGFUSE_OTEL_PREFIX}/*`, ...mcp]) {
    // Every body is held in the queue from its first byte, before the body limit (which reads one without a length whole).
    app.use(path, holdBodies(intake));
    app.use(
      path,
      bodyLimit({
        maxSize: config.maxBodyBytes,
        onError: (c) =>
          errorResponse(c, 413, 'payload_too_large', `Request body exceeds ${config.maxBodyBytes} bytes (SIGNALS_MAX_BODY_BYTES)`),
      }),
    );
  }

  app.route('/', dashboardPages());
  app.route('/', metaRoutes());
  app.route('/v1', analyzeRoutes(config));
  app.route('/v1', tracesRoutes(config, storeLog, intake));
  app.route(`${LANGFUSE_OTEL_PREFIX}/v1`, tracesRoutes(config, storeLog, intake));
  app.route('/v1', logsRoutes(config, storeLog));
  // Before the store routes: a signals test with the conversations in the body needs no store.
  app.route('/v1', customRoutes({ storeRoutes: config.signals !== undefined, providers: config.providers, env: config.judgeEnv, ledger: config.signals?.context?.ledger, now: config.signals?.context?.now }));
  app.route('/v1', providersRoutes(config));
  const apiOf = config.signals === undefined ? undefined : scopedApis(config.signals.api);
  app.route('/v1', metricsRoutes(intake, apiOf));
  if (apiOf !== undefined) {
    app.route('/v1', signalsRoutes(apiOf));
    app.route('/v1', dashboardApiRoutes(apiOf));
    app.route('/', mcpRoutes(apiOf, config.maxBodyBytes));
  }

  app.notFound((c) => {
    const allow = methodsOf(c.req.path);
    if (allow === undefined) return errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
    c.header('Allow', [...allow, 'OPTIONS'].join(', '));
    return errorResponse(c, 405, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allow.join(' or ')}`);
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) return apiErrorResponse(c, err);
    if (err instanceof ServiceError) return serviceErrorResponse(c, err);
    // A client that hung up mid-body is no server error (and gets no answer anyway); first, because Node fails the body
    // read with code ECONNRESET, which would otherwise pass for the store being unreachable (503, logged as such).
    if (c.req.raw.signal.aborted) return errorResponse(c, 400, 'bad_request', 'Request aborted by the client');
    const unavailable = storeUnavailable(err, storeLog);
    if (unavailable !== undefined) return errorResponse(c, 503, unavailable.code, unavailable.message, unavailable.retryAfterSeconds);
    // Hono's own middleware (bearer auth) throws HTTPException carrying a ready response.
    if (err instanceof HTTPException) return err.getResponse();
    console.error(err);
    return errorResponse(c, 500, 'internal_error', 'Internal server error');
  });

  return app;
}

/** The API as each request's caller may see it: the operator's whole, or (a scoped key) one agent's, made once per agent. */
function scopedApis(api: SignalsApi): (c: Context) => SignalsApi {
  const byAgent = new Map<string, SignalsApi>();
  return (c) => {
    const scope = scopeOf(c);
    if (scope === undefined) return api;
    let scoped = byAgent.get(scope.agent);
    if (scoped === undefined) byAgent.set(scope.agent, (scoped = scopedApi(api, scope)));
    return scoped;
  };
}
