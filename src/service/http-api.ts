import { ServiceError, type SignalsApi } from './api.js';

const CODES = new Set<ServiceError['code']>(['not_found', 'invalid', 'conflict', 'unavailable', 'forbidden']);

/** HTTP status of an error body without a service code (auth, size limits) to the nearest `ServiceError` code. */
function codeFor(status: number, code: unknown): ServiceError['code'] {
  if (typeof code === 'string' && CODES.has(code as ServiceError['code'])) return code as ServiceError['code'];
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/** One request's path under `/v1`, query and body (already JSON text: an export file is sent as it was read). */
export interface HttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
}

/**
 * The one HTTP client of a running service (`--url` commands, `signals ingest --url`, remote MCP): the same
 * headers on every request, an unreachable server as `ServiceError('unavailable')` naming the URL, and an error
 * answer as a `ServiceError` carrying the service's message, never the body of an answer that is not the service's
 * JSON (a proxy's page).
 */
export interface HttpClient {
  /** Sends one request and returns the answer whatever its status (a caller may look at 503 + `Retry-After`). */
  send(request: HttpRequest): Promise<Response>;
  /** Reads an answer of `send`: its JSON, or the `ServiceError` it stands for. */
  read<T>(request: HttpRequest, res: Response): Promise<T>;
}

/** How long one request may take, from sending it to the last byte of its answer, unless the caller says otherwise. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 60_000;

/** Whether `err` is what a fetch, or the read of its body, throws once its `AbortSignal.timeout` ran out. */
function timedOut(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

/**
 * The client of the service at `url`, with `token` as the bearer token when given. Each request has `timeoutMs`
 * from sending to the end of its answer: a server (or proxy) that takes the connection and never answers, or stalls
 * in the middle of its body, would otherwise hold a command for good.
 */
export function createHttpClient(url: string, token?: string, timeoutMs = DEFAULT_CLIENT_TIMEOUT_MS): HttpClient {
  const base = `${url.replace(/\/+$/, '')}/v1`;
  const late = () => new ServiceError('unavailable', `The signals service at ${url} did not answer within ${timeoutMs / 1000} s (SIGNALS_CLIENT_TIMEOUT_SECONDS)`);
  return {
    async send({ method, path, query, body }) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
      // X-Signals-Client: a bodiless POST (cancel, pause) passes a token-less server's cross-site guard.
      const headers: Record<string, string> = { accept: 'application/json', 'x-signals-client': 'cli' };
      if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      try {
        // The signal also ends the read of the answer's body (`read`), so the deadline covers the whole exchange.
        // AbortSignal.timeout, not a setTimeout cleared at the end as src/http/forward.ts does: the deadline outlives
        // `send`, and a caller may drop an answer unread (signals ingest --url sends a 503 again), whose timer would
        // then hold the CLI open until it fired; this one's timer keeps no process alive.
        return await fetch(`${base}${path}${qs.size > 0 ? `?${qs}` : ''}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        if (timedOut(err)) throw late();
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw new ServiceError('unavailable', `Cannot reach the signals service at ${url}: ${cause}`);
      }
    },
    async read<T>({ method, path }: HttpRequest, res: Response): Promise<T> {
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (timedOut(err)) throw late();
        throw new ServiceError('unavailable', `${method} ${base}${path}: HTTP ${res.status}, the answer broke off`);
      }
      let json: unknown;
      try {
        json = text === '' ? null : JSON.parse(text);
      } catch {
        throw new ServiceError('unavailable', `${method} ${base}${path}: HTTP ${res.status}, not a JSON answer`);
      }
      if (!res.ok) {
        const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
        const message = typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`;
        const details = Array.isArray(error?.details) ? error.details.map(String) : undefined;
        throw new ServiceError(codeFor(res.status, error?.code), message, details);
      }
      return json as T;
    },
  };
}

/**
 * `SignalsApi` over the REST routes of a running service (src/http/routes-signals.ts) through `createHttpClient`,
 * so the CLI's `--url` and remote MCP use behave as the local store does.
 */
export function createHttpApi(url: string, token?: string, timeoutMs = DEFAULT_CLIENT_TIMEOUT_MS): SignalsApi {
  const client = createHttpClient(url, token, timeoutMs);
  const enc = encodeURIComponent;

  const call = async <T>(method: string, path: string, body?: unknown, query?: HttpRequest['query']): Promise<T> => {
    const request: HttpRequest = { method, path, query, body: body === undefined ? undefined : JSON.stringify(body) };
    return client.read<T>(request, await client.send(request));
  };

  return {
    listSignals: (o = {}) => call('GET', '/signals', undefined, { includeArchived: o.includeArchived ? 'true' : undefined, agent: o.agent }),
    getSignal: (ref) => call('GET', `/signals/${enc(ref)}`),
    createSignal: (input) => call('POST', '/signals', input),
    editSignal: (ref, patch) => call('PATCH', `/signals/${enc(ref)}`, patch),
    setState: (ref, state) => call('POST', `/signals/${enc(ref)}/state`, { state }),
    versions: (ref) => call('GET', `/signals/${enc(ref)}/versions`),
    learn: (ref, input) => call('POST', `/signals/${enc(ref)}/learn`, input),
    review: (ref, input) => call('POST', `/signals/${enc(ref)}/reviews`, input),
    removeReview: (ref, labelId) => call('DELETE', `/signals/${enc(ref)}/reviews/${enc(labelId)}`),
    reviewQueue: (ref, q = {}) => call('GET', `/signals/${enc(ref)}/review-queue`, undefined, { ...q }),
    judges: (ref) => call('GET', `/signals/${enc(ref)}/judges`),
    testSignal: ({ ref, ...rest }) => (ref === undefined ? call('POST', '/signals/test', rest) : call('POST', `/signals/${enc(ref)}/test`, rest)),
    startRun: (ref, input) => call('POST', `/signals/${enc(ref)}/runs`, input),
    getRun: (id) => call('GET', `/runs/${enc(id)}`),
    listRuns: (ref, q = {}) => call('GET', '/runs', undefined, { signal: ref, ...q }),
    cancelRun: (id) => call('POST', `/runs/${enc(id)}/cancel`, {}),
    labels: (ref, q = {}) => call('GET', `/signals/${enc(ref)}/labels`, undefined, { ...q }),
    distribution: (ref, q = {}) => call('GET', `/signals/${enc(ref)}/distribution`, undefined, { ...q }),
    target: (kind, id, agent, page = {}) =>
      call('GET', `/targets/${enc(kind)}/${enc(id)}`, undefined, { agent, limit: page.limit?.toString(), before: page.before?.toString() }),
    agents: () => call('GET', '/agents'),
    providers: () => call('GET', '/providers'),
    traffic: (q = {}) => call('GET', '/traffic', undefined, { ...q }),
    sessions: (q = {}) => call('GET', '/sessions', undefined, { ...q }),
    traces: (q = {}) => call('GET', '/traces', undefined, { ...q }),
    spans: (kind, id, agent) => call('GET', `/${kind === 'trace' ? 'traces' : 'sessions'}/${enc(id)}/spans`, undefined, { agent }),
    pending: () => call('GET', '/pending'),
    whoami: () => call('GET', '/whoami'),
    listAlerts: (signalRef) => call('GET', '/alerts', undefined, { signal: signalRef }),
    createAlert: (input) => call('POST', '/alerts', input),
    editAlert: (ref, patch) => call('PATCH', `/alerts/${enc(ref)}`, patch),
    setAlertPaused: (id, paused) => call('POST', `/alerts/${enc(id)}/${paused ? 'pause' : 'resume'}`, {}),
    backtestAlert: (id, window) => call('POST', `/alerts/${enc(id)}/backtest`, window),
    backtestRule: (rule, window) => call('POST', '/alerts/backtest', { rule, ...window }),
    alertHistory: (id) => call('GET', `/alerts/${enc(id)}/history`),
  };
}
