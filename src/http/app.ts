import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { HttpConfig } from './config.js';
import { ApiError, errorBody, errorResponse } from './errors.js';
import { analyzeRoutes } from './routes-analyze.js';
import { metaRoutes } from './routes-meta.js';
import { tracesRoutes } from './routes-traces.js';
import { customRoutes } from './routes-custom.js';
import { serviceErrorResponse, signalsRoutes } from './routes-signals.js';
import { ServiceError } from '../service/api.js';

export type { HttpConfig, HttpEnv } from './config.js';
export { configFromEnv, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_MESSAGES } from './config.js';

/**
 * The HTTP service as one Hono app, the same on Workers and Node. The bearer token and the body limit guard
 * `/v1/*` only: `/` and `/healthz` stay open for browsers and health probes.
 */
export function createApp(config: HttpConfig): Hono {
  const app = new Hono();

  if (config.apiToken !== undefined) {
    app.use(
      '/v1/*',
      bearerAuth({
        token: config.apiToken,
        noAuthenticationHeader: { message: errorBody('unauthorized', 'Missing Authorization: Bearer <token> header') },
        invalidAuthenticationHeader: { message: errorBody('bad_request', 'Malformed Authorization header; expected Bearer <token>') },
        invalidToken: { message: errorBody('unauthorized', 'Invalid bearer token') },
      }),
    );
  }
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) =>
        errorResponse(c, 413, 'payload_too_large', `Request body exceeds ${config.maxBodyBytes} bytes (SIGNALS_MAX_BODY_BYTES)`),
    }),
  );

  app.route('/', metaRoutes());
  app.route('/v1', analyzeRoutes(config));
  app.route('/v1', tracesRoutes(config));
  // Before the store routes: a signals test with the conversations in the body needs no store.
  app.route('/v1', customRoutes({ storeRoutes: config.signals !== undefined }));
  if (config.signals !== undefined) app.route('/v1', signalsRoutes(config.signals.api));

  app.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message);
    if (err instanceof ServiceError) return serviceErrorResponse(c, err);
    // Hono's own middleware (bearer auth) throws HTTPException carrying a ready response.
    if (err instanceof HTTPException) return err.getResponse();
    console.error(err);
    return errorResponse(c, 500, 'internal_error', 'Internal server error');
  });

  return app;
}
