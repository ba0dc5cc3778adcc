import { d1Store, type D1Like } from '../store/d1.js';
import { jobCounts } from '../store/jobs.js';
import { unfinishedRuns } from '../store/runs.js';
import type { WorkNotice } from './context.js';
import { serviceOptionsFromEnv, type ServiceEnv } from './env.js';
import { createSignalsService, type SignalsService } from './service.js';

/** The Queue producer binding, structurally (so this file compiles without Workers types). */
export interface WorkQueue {
  send(body: WorkNotice): Promise<unknown>;
}

/** The bindings the signals service reads on Workers. */
export interface SignalsWorkerEnv extends ServiceEnv {
  DB?: D1Like;
  SIGNALS_QUEUE?: WorkQueue;
}

/** One queued message as the consumer sees it. */
export interface WorkMessage {
  body: unknown;
  ack(): void;
  retry(): void;
}

/**
 * The signals service over the Worker's D1 binding, or undefined without one. Background work is sent to the
 * `SIGNALS_QUEUE` queue (consumed by `consumeWork` in this same Worker); without a queue it waits for the Cron tick.
 */
export function workerService(env: SignalsWorkerEnv): SignalsService | undefined {
  if (env.DB === undefined) return undefined;
  const queue = env.SIGNALS_QUEUE;
  return createSignalsService(d1Store(env.DB), {
    ...serviceOptionsFromEnv(env as ServiceEnv & Record<string, unknown>),
    notify: queue === undefined ? undefined : async (notice) => {
      await queue.send(notice);
    },
  });
}

const LLM_JOBS_PER_MESSAGE = 20;

/**
 * The queue consumer: a `run` message labels one backfill batch and re-queues itself while the run has more;
 * an `llm` message runs up to 20 LLM jobs and re-queues while some were left. Each message is small enough
 * for one invocation, and all progress is in D1, so a lost invocation is redone by the retry or the Cron tick.
 */
export async function consumeWork(service: SignalsService, env: SignalsWorkerEnv, messages: readonly WorkMessage[]): Promise<void> {
  for (const message of messages) {
    const notice = message.body as WorkNotice;
    try {
      if (notice?.type === 'run' && typeof notice.id === 'string') {
        if ((await service.runBatch(notice.id)) === 'more') await env.SIGNALS_QUEUE?.send(notice);
      } else if (notice?.type === 'llm') {
        if ((await service.llmJobs(LLM_JOBS_PER_MESSAGE)) === LLM_JOBS_PER_MESSAGE) await env.SIGNALS_QUEUE?.send(notice);
      }
      message.ack();
    } catch (err) {
      console.error('signals queue message failed:', err instanceof Error ? err.message : err);
      message.retry();
    }
  }
}

/**
 * The Cron tick: settles traces and sessions (their LLM work goes to the queue) and prunes; unfinished runs get
 * a queue message again, so a run whose chain of messages broke resumes from its cursor.
 */
export async function cronTick(service: SignalsService, env: SignalsWorkerEnv, now: number): Promise<void> {
  const queued = env.SIGNALS_QUEUE !== undefined;
  await service.tick(now, { settle: true, prune: true, llm: !queued, runs: !queued });
  if (queued) {
    for (const run of await unfinishedRuns(service.context.store)) await env.SIGNALS_QUEUE!.send({ type: 'run', id: run.id });
    if (((await jobCounts(service.context.store)).pending ?? 0) > 0) await env.SIGNALS_QUEUE!.send({ type: 'llm' });
  }
}
