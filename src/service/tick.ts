import { unfinishedRuns } from '../store/runs.js';
import { type AlertsPassResult, evaluateAlerts } from './alerts-evaluate.js';
import { driveRun } from './backfill.js';
import type { ServiceContext } from './context.js';
import { processLlmJobs } from './llm-worker.js';
import { prune } from './retention.js';
import { settle, type SettleResult } from './settle.js';

/** What one tick did. */
export interface TickResult extends SettleResult {
  llmJobs: number;
  runs: number;
  alerts: AlertsPassResult;
}

/** Which parts of a tick to run: Workers settle on Cron and judge/backfill from the Queue consumer. */
export interface TickParts {
  settle?: boolean;
  llm?: boolean;
  runs?: boolean;
  prune?: boolean;
  alerts?: boolean;
}

/**
 * One pass of the service's clock-driven work: label settled traces and idle sessions, run queued LLM jobs,
 * advance unfinished backfill runs (so a restart resumes them), evaluate the alerts that are due (after the
 * labelling, so an evaluation sees the labels this tick wrote), and prune old traffic.
 */
export async function tickWith(ctx: ServiceContext, now: number, parts: TickParts = {}): Promise<TickResult> {
  const s = parts.settle === false ? { traces: 0, sessions: 0, labels: 0, queued: 0, unreadable: 0 } : await settle(ctx, now);
  let llmJobs = 0;
  if (parts.llm !== false) {
    for (let n = await processLlmJobs(ctx); n > 0; n = await processLlmJobs(ctx)) llmJobs += n;
  }
  let runs = 0;
  if (parts.runs !== false) {
    for (const run of await unfinishedRuns(ctx.store)) {
      await driveRun(ctx, run.id);
      runs++;
    }
  }
  const alerts =
    parts.alerts === false ? { evaluations: 0, transitions: 0, notifications: 0, deliveries: 0, errors: 0 } : await evaluateAlerts(ctx.store, now, ctx.alerts);
  if (parts.prune !== false) await prune(ctx, now);
  return { ...s, llmJobs, runs, alerts };
}
