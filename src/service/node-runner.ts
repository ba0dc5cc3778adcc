import { hostname } from 'node:os';
import { StoreFaultLog } from '../store/faults.js';
import { openStoreFromEnv } from '../store/open.js';
import { claimRuns } from '../store/runs.js';
import type { Store } from '../store/types.js';
import { leasedAlerts } from './alerts-evaluate.js';
import { smtpSenderFromEnv } from './alerts-smtp.js';
import { processRunBatch } from './backfill.js';
import type { ServiceContext, ServiceOptions } from './context.js';
import { startDueDeliveries } from './deliveries.js';
import { serviceOptionsFromEnv } from './env.js';
import { legacyProblems } from './legacy-signals.js';
import { nodeProviders } from './node-providers.js';
import { judgePool, judgeWorkerBuilt } from './judge-pool.js';
import type { InlineJudge } from './judging.js';
import { Lane } from './lanes.js';
import { leasedPass } from './leases.js';
import { startLlmJobs } from './llm-worker.js';
import { prune } from './retention.js';
import { resumeRuns } from './run-resume.js';
import { createSignalsService, type SignalsService } from './service.js';
import { leasedSettle } from './settle.js';

/** The signals service running in this Node process: store, service and its background lanes. */
export interface NodeService {
  service: SignalsService;
  store: Store;
  /** Stops the lanes (waiting for their passes, and up to a few seconds for running LLM jobs and deliveries) and closes the store. */
  stop(): Promise<void>;
}

/** Node-only settings of the background work. */
export interface NodeRunnerOptions {
  /** Period of the settle, alerts, deliveries, backfill and LLM lanes (default 1 s). */
  intervalMs?: number;
  /** Period of the retention lane (default 60 s). */
  retentionIntervalMs?: number;
  /** Hears a failed pass (default: logged; store shortages once per episode). */
  onError?: (err: unknown) => void;
  /** The judge pool's worker entry (default: `judge-worker.js` beside the runner, present in the built package). */
  judgeWorker?: URL;
}

/**
 * Threads of the live judging pool from `SIGNALS_JUDGE_THREADS`: unset gives the default (the cores but one), `0`
 * judges on the main thread in slices; anything else but a whole number up to 64 stops the start.
 */
export function judgeThreadsFromEnv(env: Record<string, string | undefined>): number | undefined {
  const value = env.SIGNALS_JUDGE_THREADS;
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`SIGNALS_JUDGE_THREADS must be a whole number from 0 to 64, got "${value}"`);
  return n;
}

/**
 * The live judging of a Node service: a worker pool (see `judgePool`), unless `SIGNALS_JUDGE_THREADS=0`, the judge
 * port is replaced (tests, embedders: their judge runs where they call it), or the worker entry is not built (the
 * TypeScript sources under a test runner); then the main thread judges in slices.
 */
function nodeInlineJudge(threads: number | undefined, options: Partial<ServiceOptions> & NodeRunnerOptions): InlineJudge | undefined {
  if (options.inline !== undefined || threads === 0 || options.ports?.judge !== undefined) return options.inline;
  if (!judgeWorkerBuilt(options.judgeWorker)) return undefined;
  return judgePool({ threads, filename: options.judgeWorker });
}

/** LLM jobs one pass may start (each provider still within its own concurrency). */
const LLM_JOBS_PER_PASS = 100;
/** Backfill runs advanced at once, one batch each per pass. */
const RUNS_AT_ONCE = 4;
/** Delivery attempts in flight at once (each bounded by its timeout); the rest wait in the store for the next pass. */
const DELIVERIES_IN_FLIGHT = 16;
/** How long `stop` waits for LLM jobs still running (their leases let another process redo them). */
const STOP_WAIT_MS = 5000;

/**
 * The background lanes over one context, each on its own timer so none waits for another: `settle` (traces and
 * sessions), `alerts` (due evaluations), `deliveries` (due alert notifications, one attempt each, detached from
 * the pass so a receiver that hangs holds only its own attempt), `runs` (backfill batches), `llm` (queued LLM
 * jobs, per provider within its concurrency and breaker; jobs run detached from the pass) and `retention`.
 */
export function backgroundLanes(
  ctx: ServiceContext,
  options: Omit<NodeRunnerOptions, 'onError'> & { onError: (lane: string, err: unknown) => void; onSuccess: () => void },
) {
  const every = options.intervalMs ?? 1000;
  const llmJobs = new Set<Promise<void>>();
  const sending = new Set<Promise<unknown>>();
  const lane = (name: string, work: () => Promise<unknown>, everyMs = every) => new Lane(name, work, everyMs, options.onError, options.onSuccess);
  const llm = lane('llm', async () => {
    for (const job of await startLlmJobs(ctx, LLM_JOBS_PER_PASS, () => llm.wake())) {
      llmJobs.add(job);
      void job.finally(() => llmJobs.delete(job));
    }
  });
  const runs = lane('runs', async () => {
    // Runs a day cap paused go on once its UTC day ended or it was raised (any replica may put them back).
    await resumeRuns(ctx, ctx.now());
    // The runs this replica may take or take over; a run another replica is advancing is left to it.
    const active = await claimRuns(ctx.store, { owner: ctx.replicaId, now: ctx.now(), leaseMs: ctx.leaseMs }, RUNS_AT_ONCE);
    const outcomes = await Promise.all(active.map((run) => processRunBatch(ctx, run.id, run)));
    if (outcomes.includes('more')) runs.wake();
  });
  const deliveries = lane('deliveries', async () => {
    for (const attempt of await startDueDeliveries(ctx, ctx.now(), DELIVERIES_IN_FLIGHT - sending.size)) {
      sending.add(attempt);
      void attempt.then(
        (outcome) => {
          sending.delete(attempt);
          // A slot is free: deliveries that waited for one go now rather than at the next period.
          if (outcome !== 'lost') deliveries.wake();
        },
        (err: unknown) => {
          sending.delete(attempt);
          options.onError('deliveries', err);
        },
      );
    }
  });
  const alerts = lane('alerts', async () => {
    const result = await leasedAlerts(ctx, ctx.now());
    if ((result?.deliveries ?? 0) > 0) deliveries.wake();
  });
  const lanes = {
    // Whole-store sweeps: one replica at a time runs a pass, whichever takes the lane's lease first.
    settle: lane('settle', () => leasedSettle(ctx, ctx.now())),
    alerts,
    deliveries,
    runs,
    llm,
    retention: lane('retention', () => leasedPass(ctx, 'retention', () => prune(ctx, ctx.now())), options.retentionIntervalMs ?? 60_000),
  };
  return {
    lanes,
    start: () => Object.values(lanes).forEach((l) => l.start()),
    async stop() {
      await Promise.all(Object.values(lanes).map((l) => l.stop()));
      await Promise.race([Promise.allSettled([...llmJobs, ...sending]), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    },
  };
}

/**
 * Opens the store (`SIGNALS_DB`, default `.signals/signals.db`) and runs the service's background work in process,
 * in lanes (see `backgroundLanes`) that wake at once when work is queued. All work state lives in the store, so a
 * restart resumes where the last process stopped.
 */
export async function startNodeService(
  env: Record<string, string | undefined> = process.env,
  options: Partial<ServiceOptions> & NodeRunnerOptions = {},
): Promise<NodeService> {
  // Settings first: a bad provider or config file stops the start before the store is opened.
  const providers = options.providers ?? nodeProviders(env);
  const judgeThreads = judgeThreadsFromEnv(env);
  const store = await openStoreFromEnv(env);
  const storeLog = new StoreFaultLog('signals background work');
  const onError =
    options.onError === undefined
      ? (lane: string, err: unknown) => {
          // A failed query's message quotes the SQL and its parameters: the log gets the driver's cause instead.
          const shown = err instanceof Error && err.name === 'DrizzleQueryError' && err.cause instanceof Error ? err.cause : err;
          if (storeLog.failed(err) === undefined) console.error(`signals background work (${lane}):`, shown instanceof Error ? shown.message : shown);
        }
      : (_lane: string, err: unknown) => options.onError!(err);
  const fromEnv = serviceOptionsFromEnv(env);
  const inline = nodeInlineJudge(judgeThreads, options);
  // Email alert channels need an SMTP server (SIGNALS_SMTP_URL); Slack and webhooks only need fetch.
  const alerts = { ...fromEnv.alerts, sendEmail: smtpSenderFromEnv(env), ...options.alerts };
  const service = createSignalsService(store, {
    // Leases name the replica holding them: SIGNALS_REPLICA_ID, or this host and process.
    replicaId: `${hostname()}:${process.pid}`,
    ...fromEnv,
    ...options,
    providers,
    alerts,
    inline,
    notify: (notice) => (notice.type === 'llm' ? background.lanes.llm.wake() : background.lanes.runs.wake()),
  });
  const legacy = await legacyProblems(service.api, providers);
  if (legacy.length > 0) {
    await service.context.inline.close();
    await store.close();
    throw new Error(`stored signals name LLM settings no operator provider has:\n${legacy.join('\n')}`);
  }
  const background = backgroundLanes(service.context, { intervalMs: options.intervalMs, retentionIntervalMs: options.retentionIntervalMs, onError, onSuccess: () => storeLog.ok() });
  background.start();
  return {
    service,
    store,
    async stop() {
      await background.stop();
      await service.context.inline.close();
      await store.close();
    },
  };
}
