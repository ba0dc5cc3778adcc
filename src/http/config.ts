import type { SignalsApi } from '../service/api.js';
import type { AgentScope } from '../service/scope.js';
import { parseAgentKeys, type AgentKey } from './agent-keys.js';
import { parseHeaderList } from './header-list.js';
import type { UsageLedger } from '../custom/llm/budget.js';
import { operatorProviders, type Providers } from '../custom/llm/providers.js';
import { parseOutboundAllow } from '../outbound/policy.js';
import type { ExportLogsRequestJson } from '../otlp/types.js';
import type { TraceBodyReader } from './trace-body.js';
import { DEFAULT_INGEST_QUEUE_BYTES, DEFAULT_INGEST_QUEUE_TENANT_SHARE } from './ingest-queue.js';
/** Runtime settings of the HTTP service, read from env bindings (Workers) or `process.env` (Node). */
export interface HttpConfig {
  /** When set, every `/v1/*` route requires `Authorization: Bearer <token>` (`/` and `/healthz` stay open). */
  apiToken?: string;
  /**
   * Keys the operator scoped to one agent each (`SIGNALS_AGENT_KEYS`, their SHA-256 only): a caller with one sends
   * and reads that agent's traffic only (./scoped-routes.ts, ../service/scoped-api.ts). Needs `apiToken`.
   */
  agentKeys?: AgentKey[];
  /** When set, `POST /v1/traces` forwards the enriched export there and answers with the upstream status. */
  forwardUrl?: string;
  /** Headers sent with every forwarded export (`SIGNALS_FORWARD_HEADERS`, e.g. a backend's API key). */
  forwardHeaders: Record<string, string>;
  /** How long a forwarded export may take, answer included, before the client gets 504. */
  forwardTimeoutMs: number;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /**
   * Bytes of request bodies the process holds at once, counted as they are read until answered
   * (`SIGNALS_INGEST_QUEUE_BYTES`, default 64 MiB): past it a request is answered 503 + Retry-After (see `IngestQueue`).
   */
  ingestQueueBytes?: number;
  /**
   * Share of those bytes one caller may hold (`SIGNALS_INGEST_QUEUE_TENANT_SHARE`, in (0, 1], default 0.5): each agent
   * of `agentKeys` is a caller, the operator's token another; past its share a caller is answered 503 while the others'
   * bodies are still taken. Applies only with `agentKeys` (without them there is one caller).
   */
  ingestQueueTenantShare?: number;
  /**
   * Rows analyzed per conversation (the last ones, as the CLI's `--max-messages`), so one request stays within the
   * Workers CPU limit; `?max_messages=all` refuses a longer conversation instead.
   */
  maxMessages: number;
  /**
   * Without a token, the `Host` names the server answers (`SIGNALS_ALLOWED_HOSTS`); the Node server defaults to the
   * loopback names, Workers (routed by host) to any. Ignored when a token is set.
   */
  allowedHosts?: readonly string[];
  /** Origins allowed to call `/v1/*` from a browser (CORS); `*` for any. None (the default): same origin only. */
  corsOrigins?: readonly string[];
  /** The signals service (store configured): mounts the `/v1/signals…` routes and stores `POST /v1/traces` traffic. */
  signals?: SignalsHttp;
  /** The operator's LLM providers (`SIGNALS_LLM_*`, plus the config file's on Node): the only ones a request may name. */
  providers: Providers;
  /** Reads `POST /v1/traces` bodies off the event loop (the Node server's worker thread); absent: read in the request. */
  traceReader?: TraceBodyReader;
  /** The outbound allow list the LLM judges of `POST /v1/signals/test` follow (`SIGNALS_OUTBOUND_ALLOW`), nothing else. */
  judgeEnv?: Record<string, string | undefined>;
}

/** What the HTTP app needs of the signals service (`createSignalsService` gives it). */
export interface SignalsHttp {
  api: SignalsApi;
  /**
   * Stores an OTLP/JSON export, or the spans already read from one (`CapturedSpan[]`), and labels them live; with a
   * scope, only that agent's spans (the others are refused and counted).
   */
  ingest(exportBody: unknown, scope?: AgentScope): Promise<unknown>;
  /** Stores the GenAI events of a validated OTLP logs export and joins them to their spans (with a scope: that agent's). */
  ingestLogs(request: ExportLogsRequestJson, scope?: AgentScope): Promise<unknown>;
  /** The service's LLM spend ledger (the caps every replica books on) and clock, for the judges the routes call themselves. */
  context?: { ledger: UsageLedger; now: () => number };
}

/** The string bindings `configFromEnv` reads; all optional. */
export interface HttpEnv {
  SIGNALS_API_TOKEN?: string;
  SIGNALS_AGENT_KEYS?: string;
  SIGNALS_FORWARD_URL?: string;
  SIGNALS_FORWARD_HEADERS?: string;
  SIGNALS_FORWARD_TIMEOUT_MS?: string;
  SIGNALS_MAX_BODY_BYTES?: string;
  SIGNALS_INGEST_QUEUE_BYTES?: string;
  SIGNALS_INGEST_QUEUE_TENANT_SHARE?: string;
  SIGNALS_MAX_MESSAGES?: string;
  SIGNALS_CORS_ORIGINS?: string;
  SIGNALS_OUTBOUND_ALLOW?: string;
  SIGNALS_ALLOWED_HOSTS?: string;
  SIGNALS_LLM_BASE_URL?: string;
  SIGNALS_LLM_MODEL?: string;
  SIGNALS_LLM_API_KEY?: string;
}

/** Default forwarding timeout: 10 s, the OTLP exporters' own default. */
export const DEFAULT_FORWARD_TIMEOUT_MS = 10_000;

/** Default body limit: 5 MB. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Default rows analyzed per conversation: 2,000 (the core's own default window is 100). */
export const DEFAULT_MAX_MESSAGES = 2000;

/**
 * Builds the config from string bindings. Empty strings count as unset, because `wrangler.toml`
 * `[vars]` and shell exports commonly leave a variable defined but blank.
 * Throws on a non-numeric or non-positive limit, a token outside the bearer charset, a malformed origin or `*`
 * without a token, so a typo (or an open door) fails at start, not on every request.
 */
export function configFromEnv(env: HttpEnv): HttpConfig {
  const apiToken = bearerToken(nonEmpty(env.SIGNALS_API_TOKEN));
  const origins = corsOrigins(nonEmpty(env.SIGNALS_CORS_ORIGINS));
  // Without a token, `Access-Control-Allow-Origin: *` lets every page the user opens read the traffic through their browser.
  if (apiToken === undefined && origins?.includes('*')) {
    throw new Error('SIGNALS_CORS_ORIGINS=* needs SIGNALS_API_TOKEN: without a token any web page the user opens could read all traffic and labels from their browser; set a token or list the origins');
  }
  const agentKeys = parseAgentKeys(nonEmpty(env.SIGNALS_AGENT_KEYS));
  // Without the operator's token every route is open anyway: a scoped key would scope nothing.
  if (agentKeys.length > 0 && apiToken === undefined) {
    throw new Error('SIGNALS_AGENT_KEYS needs SIGNALS_API_TOKEN: without the operator token every route is open, and a key scoped to one agent would scope nothing');
  }
  return {
    apiToken,
    agentKeys,
    corsOrigins: origins,
    allowedHosts: nonEmpty(env.SIGNALS_ALLOWED_HOSTS)?.split(',').map((h) => h.trim()).filter((h) => h !== ''),
    forwardUrl: nonEmpty(env.SIGNALS_FORWARD_URL),
    forwardHeaders: parseHeaderList('SIGNALS_FORWARD_HEADERS', nonEmpty(env.SIGNALS_FORWARD_HEADERS)),
    forwardTimeoutMs: positiveInt('SIGNALS_FORWARD_TIMEOUT_MS', env.SIGNALS_FORWARD_TIMEOUT_MS, DEFAULT_FORWARD_TIMEOUT_MS),
    maxBodyBytes: positiveInt('SIGNALS_MAX_BODY_BYTES', env.SIGNALS_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
    ingestQueueBytes: positiveInt('SIGNALS_INGEST_QUEUE_BYTES', env.SIGNALS_INGEST_QUEUE_BYTES, DEFAULT_INGEST_QUEUE_BYTES),
    ingestQueueTenantShare: share('SIGNALS_INGEST_QUEUE_TENANT_SHARE', env.SIGNALS_INGEST_QUEUE_TENANT_SHARE, DEFAULT_INGEST_QUEUE_TENANT_SHARE),
    maxMessages: positiveInt('SIGNALS_MAX_MESSAGES', env.SIGNALS_MAX_MESSAGES, DEFAULT_MAX_MESSAGES),
    providers: operatorProviders(env as Record<string, string | undefined>),
    judgeEnv: outboundEnv(env),
  };
}

/** Only `SIGNALS_OUTBOUND_ALLOW` (checked here so a typo fails at start): a judge reads no other variable. */
function outboundEnv(env: HttpEnv): Record<string, string> {
  const allow = typeof env.SIGNALS_OUTBOUND_ALLOW === 'string' ? env.SIGNALS_OUTBOUND_ALLOW : '';
  parseOutboundAllow(allow);
  return { SIGNALS_OUTBOUND_ALLOW: allow };
}

// RFC 6750 b64token, as Hono's bearer auth matches it: a token outside it could never be sent, every request would be 400.
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

function bearerToken(token: string | undefined): string | undefined {
  if (token !== undefined && !BEARER_TOKEN.test(token)) {
    throw new Error('SIGNALS_API_TOKEN may hold only letters, digits and - . _ ~ + / (then = padding): a bearer token cannot carry other characters');
  }
  return token;
}

const ORIGIN = /^https?:\/\/[^/\s,]+$/;

function corsOrigins(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const origins = list.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin !== '*' && !ORIGIN.test(origin)) {
      throw new Error(`SIGNALS_CORS_ORIGINS must list origins such as https://app.example.com (or *), got "${origin}"`);
    }
  }
  return origins;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function share(name: string, value: string | undefined, fallback: number): number {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new Error(`${name} must be a share in (0, 1] such as 0.5, got "${text}"`);
  return n;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}
