import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type BacktestWindow, ServiceError, type RunQuery, type SignalsApi, type SignalState, type TrafficQuery } from '../service/api.js';
import type { TargetKind } from '../custom/types.js';
import { ApiError } from './errors.js';
import { parseJson, requireMediaType } from './request.js';

const STATUS: Record<ServiceError['code'], ContentfulStatusCode> = { not_found: 404, invalid: 400, conflict: 409, unavailable: 503, forbidden: 403 };

/** A `ServiceError` as the JSON error body (`details` lists every problem of an invalid definition). */
export function serviceErrorResponse(c: Context, err: ServiceError): Response {
  const body: { error: { code: string; message: string; details?: string[] } } = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  return c.json(body, STATUS[err.code]);
}

async function body(c: Context): Promise<Record<string, unknown>> {
  requireMediaType(c, ['application/json']);
  const value = parseJson(await c.req.text());
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'bad_request', 'Request body must be a JSON object');
  return value as Record<string, unknown>;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ServiceError('invalid', `${field} is required (a string)`);
  return value;
}

function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // Only a number or a numeric string: Number() of a JSON object whose toString is not a function throws.
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new ServiceError('invalid', `${field} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** The window and part of a backtest a body asks for: `{since, until, cursor?, limit?}`. */
function backtestWindow(b: Record<string, unknown>): BacktestWindow {
  const cursor = b.cursor === undefined || b.cursor === null || b.cursor === '' ? undefined : str(b.cursor, 'cursor');
  return { since: str(b.since, 'since'), until: str(b.until, 'until'), cursor, limit: optionalNumber(b.limit, 'limit') };
}

/** The page of a run list a request asks for: `?agent=&limit=&cursor=`. */
function runQuery(c: Context): RunQuery {
  const { agent, limit, cursor } = c.req.query();
  return { agent: agent || undefined, limit: optionalNumber(limit, 'limit'), cursor: cursor || undefined };
}

/**
 * The signals API as REST, one route per `SignalsApi` method (documented in docs/api.md), so
 * `createHttpApi` on the other side is a thin client. `ServiceError`s become 4xx JSON bodies. `apiOf` gives the API
 * as this request's caller may see it (a key scoped to one agent: that agent's).
 */
export function signalsRoutes(apiOf: (c: Context) => SignalsApi): Hono {
  const r = new Hono();
  r.onError((err, c) => {
    if (err instanceof ServiceError) return serviceErrorResponse(c, err);
    throw err;
  });

  r.get('/signals', async (c) =>
    c.json(await apiOf(c).listSignals({ includeArchived: c.req.query('includeArchived') === 'true', agent: c.req.query('agent') || undefined })),
  );
  r.post('/signals/test', async (c) => c.json(await apiOf(c).testSignal((await body(c)) as never)));
  r.post('/signals', async (c) => c.json(await apiOf(c).createSignal((await body(c)) as never), 201));
  r.get('/signals/:ref', async (c) => c.json(await apiOf(c).getSignal(c.req.param('ref'))));
  r.patch('/signals/:ref', async (c) => c.json(await apiOf(c).editSignal(c.req.param('ref'), (await body(c)) as never)));
  r.post('/signals/:ref/state', async (c) => c.json(await apiOf(c).setState(c.req.param('ref'), str((await body(c)).state, 'state') as SignalState)));
  r.get('/signals/:ref/versions', async (c) => c.json(await apiOf(c).versions(c.req.param('ref'))));
  r.post('/signals/:ref/learn', async (c) => c.json(await apiOf(c).learn(c.req.param('ref'), (await body(c)) as never)));
  r.post('/signals/:ref/reviews', async (c) => c.json(await apiOf(c).review(c.req.param('ref'), (await body(c)) as never), 201));
  r.delete('/signals/:ref/reviews/:id', async (c) => c.json(await apiOf(c).removeReview(c.req.param('ref'), c.req.param('id'))));
  r.get('/signals/:ref/review-queue', async (c) =>
    c.json(await apiOf(c).reviewQueue(c.req.param('ref'), { limit: optionalNumber(c.req.query('limit'), 'limit'), cursor: c.req.query('cursor') || undefined })),
  );
  r.get('/signals/:ref/judges', async (c) => c.json(await apiOf(c).judges(c.req.param('ref'))));
  r.post('/signals/:ref/test', async (c) => c.json(await apiOf(c).testSignal({ ...(await body(c)), ref: c.req.param('ref') } as never)));
  r.post('/signals/:ref/runs', async (c) => {
    const b = await body(c);
    const run = await apiOf(c).startRun(c.req.param('ref'), { since: str(b.since, 'since'), until: str(b.until, 'until'), rate: optionalNumber(b.rate, 'rate') });
    return c.json(run, 202);
  });
  r.get('/signals/:ref/runs', async (c) => c.json(await apiOf(c).listRuns(c.req.param('ref'), runQuery(c))));
  r.get('/signals/:ref/labels', async (c) => {
    const q = c.req.query();
    return c.json(
      await apiOf(c).labels(c.req.param('ref'), {
        value: q.value || undefined,
        since: q.since || undefined,
        until: q.until || undefined,
        cursor: q.cursor || undefined,
        limit: optionalNumber(q.limit, 'limit'),
      }),
    );
  });
  r.get('/signals/:ref/distribution', async (c) => {
    const q = c.req.query();
    return c.json(await apiOf(c).distribution(c.req.param('ref'), { bucket: q.bucket || undefined, since: q.since || undefined, until: q.until || undefined }));
  });
  r.get('/runs', async (c) => c.json(await apiOf(c).listRuns(c.req.query('signal') || undefined, runQuery(c))));
  r.get('/runs/:id', async (c) => c.json(await apiOf(c).getRun(c.req.param('id'))));
  r.post('/runs/:id/cancel', async (c) => c.json(await apiOf(c).cancelRun(c.req.param('id'))));
  r.get('/targets/:kind/:id', async (c) => {
    const page = { limit: optionalNumber(c.req.query('limit'), 'limit'), before: optionalNumber(c.req.query('before'), 'before') };
    return c.json(await apiOf(c).target(c.req.param('kind') as TargetKind, c.req.param('id'), c.req.query('agent') || undefined, page));
  });
  r.get('/agents', async (c) => c.json(await apiOf(c).agents()));
  // The traffic explorer. GET /v1/traces lists traces; POST /v1/traces stays the OTLP receiver.
  const trafficQuery = (c: { req: { query(): Record<string, string> } }): TrafficQuery => {
    const { agent, id, session, since, until, quality, builtin, signal, value, unlabelled, q, cursor, limit } = c.req.query();
    return { agent, id, session, since, until, quality, builtin, signal, value, unlabelled, q, cursor, limit: optionalNumber(limit, 'limit') };
  };
  r.get('/sessions', async (c) => c.json(await apiOf(c).sessions(trafficQuery(c))));
  r.get('/traces', async (c) => c.json(await apiOf(c).traces(trafficQuery(c))));
  r.get('/sessions/:id/spans', async (c) => c.json(await apiOf(c).spans('session', c.req.param('id'), c.req.query('agent') || undefined)));
  r.get('/traces/:id/spans', async (c) => c.json(await apiOf(c).spans('trace', c.req.param('id'), c.req.query('agent') || undefined)));
  r.get('/pending', async (c) => c.json(await apiOf(c).pending()));
  r.get('/traffic', async (c) => {
    const q = c.req.query();
    return c.json(await apiOf(c).traffic({ agent: q.agent || undefined, bucket: q.bucket || undefined, since: q.since || undefined, until: q.until || undefined }));
  });

  r.get('/alerts', async (c) => c.json(await apiOf(c).listAlerts(c.req.query('signal') || undefined)));
  r.post('/alerts', async (c) => c.json(await apiOf(c).createAlert(await body(c)), 201));
  r.patch('/alerts/:id', async (c) => c.json(await apiOf(c).editAlert(c.req.param('id'), await body(c))));
  r.post('/alerts/:id/pause', async (c) => c.json(await apiOf(c).setAlertPaused(c.req.param('id'), true)));
  r.post('/alerts/:id/resume', async (c) => c.json(await apiOf(c).setAlertPaused(c.req.param('id'), false)));
  r.post('/alerts/backtest', async (c) => {
    const b = await body(c);
    return c.json(await apiOf(c).backtestRule(b.rule, backtestWindow(b)));
  });
  r.post('/alerts/:id/backtest', async (c) => {
    const b = await body(c);
    return c.json(await apiOf(c).backtestAlert(c.req.param('id'), backtestWindow(b)));
  });
  r.get('/alerts/:id/history', async (c) => c.json(await apiOf(c).alertHistory(c.req.param('id'))));
  return r;
}
