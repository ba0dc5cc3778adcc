import type { SignalDefinition } from '../custom/definition.js';
import type { Store } from '../store/types.js';
import type { AlertDeps } from './alerts-evaluate.js';
import { type BreakerOptions, ProviderBreakers } from './breakers.js';
import { inThreadJudge, judgeWithFallback, type InlineJudge } from './judging.js';
import { defaultPorts, type ServicePorts } from './ports.js';
import { operatorProviders, type Providers } from '../custom/llm/providers.js';
import type { UsageLedger } from '../custom/llm/budget.js';
import { storeUsageLedger } from '../store/usage.js';

/** Background work the service asks for; Node wakes its in-process worker, Workers send a Queue message. */
export type WorkNotice = { type: 'llm' } | { type: 'run'; id: string };

/** Settings of the signals service, all optional. */
export interface ServiceOptions {
  /** Replaces single pieces of the formats/custom modules the service uses. */
  ports?: Partial<ServicePorts>;
  /** A trace is complete once its root span ended and no span came for this long (default 10 s). */
  traceSettleSeconds?: number;
  /** A session is labelled after this long without traffic, and again after it resumes (default 30 min). */
  sessionIdleMinutes?: number;
  /** Data the service received more than this many days ago is pruned (default: kept; see `prune`). */
  retentionDays?: number;
  /** The service's environment: `SIGNALS_OUTBOUND_ALLOW`, and the default LLM provider when `providers` is absent. */
  env?: Record<string, string | undefined>;
  /** The operator's LLM providers (default: the one `SIGNALS_LLM_*` in `env` configures). */
  providers?: Providers;
  fetch?: typeof fetch;
  /** The clock (tests pass a fake one). */
  now?: () => number;
  /** Called when background work is queued. */
  notify?: (notice: WorkNotice) => void | Promise<void>;
  /** Targets per backfill batch (default 50). */
  batchSize?: number;
  /** Alert notification delivery: SMTP sender (Node), dashboard URL, retries; `fetch`/`env` default to the above. */
  alerts?: AlertDeps;
  /** When a failing LLM provider is paused and for how long (see `ProviderBreakers`). */
  breakers?: BreakerOptions;
  /** This replica's id in the leases it holds (`SIGNALS_REPLICA_ID`; default a random one; Node: `hostname:pid`). */
  replicaId?: string;
  /** How long a claim on shared work lasts before another replica may take it over (`SIGNALS_LEASE_MS`, default 60 s). */
  leaseMs?: number;
  /** Runs live rules and learned judging (default: on this thread in slices; the Node runner passes a worker pool). */
  inline?: InlineJudge;
}

/** What every service function reads: the store, the ports and resolved settings. */
export interface ServiceContext {
  store: Store;
  ports: ServicePorts;
  traceSettleMs: number;
  sessionIdleMs: number;
  retentionMs: number | null;
  env: Record<string, string | undefined>;
  /** The operator's LLM providers; signals name one. */
  providers: Providers;
  fetch?: typeof fetch;
  now: () => number;
  notify: (notice: WorkNotice) => Promise<void>;
  batchSize: number;
  alerts: AlertDeps;
  /** One circuit breaker per LLM provider (in this process). */
  breakers: ProviderBreakers;
  /** LLM jobs running now, per provider. */
  llmInFlight: Map<string, number>;
  /** The LLM spend booked against the caps, in the store: every replica books on the same accounts. */
  ledger: UsageLedger;
  /**
   * Ledger accounts (`signal:ID`, `provider:NAME`) whose day cap this replica met, with why and until when (the next
   * UTC day): their jobs are not claimed meanwhile, unless a signal's day caps (`caps`) changed since. Another
   * replica learns it from the ledger on its first request.
   */
  budgetPauses: Map<string, { reason: string; until: number; caps?: string }>;
  /** Definitions by `id@version` (a version never changes), so live labelling reads and compiles each once. */
  definitions: Map<string, SignalDefinition>;
  /** This replica's id in the leases it holds on shared work (LLM jobs, runs, lane passes). */
  replicaId: string;
  /** How long a claim lasts; held work is renewed while it runs (see `holdWhile`). */
  leaseMs: number;
  /** Live judging with the free judges (rules, learned): a worker pool on Node, this thread in slices elsewhere. */
  inline: InlineJudge;
}

/** Default lease on shared work: long enough for a backfill batch or an LLM call, renewed while work runs. */
export const DEFAULT_LEASE_MS = 60_000;

/** Resolves options to a context. */
export function serviceContext(store: Store, options: ServiceOptions): ServiceContext {
  const notify = options.notify;
  const providers = options.providers ?? operatorProviders(options.env ?? {});
  const ports = defaultPorts(options.ports, providers);
  return {
    store,
    ports,
    providers,
    traceSettleMs: (options.traceSettleSeconds ?? 10) * 1000,
    sessionIdleMs: (options.sessionIdleMinutes ?? 30) * 60_000,
    retentionMs: options.retentionDays === undefined ? null : options.retentionDays * 86_400_000,
    env: options.env ?? {},
    fetch: options.fetch,
    now: options.now ?? Date.now,
    notify: async (n) => {
      if (notify !== undefined) await notify(n);
    },
    batchSize: options.batchSize ?? 50,
    alerts: { fetch: options.fetch, env: options.env ?? {}, now: options.now, ...options.alerts },
    breakers: new ProviderBreakers(options.now ?? Date.now, options.breakers),
    llmInFlight: new Map(),
    ledger: storeUsageLedger(store),
    budgetPauses: new Map(),
    definitions: new Map(),
    replicaId: options.replicaId ?? `replica:${crypto.randomUUID()}`,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    inline:
      options.inline === undefined
        ? inThreadJudge(ports)
        : judgeWithFallback(options.inline, inThreadJudge(ports), () => console.error('signals: a judging thread failed; its targets were judged on the main thread')),
  };
}
