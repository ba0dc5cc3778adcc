import { unfinishedRuns } from '../store/runs.js';
import { type AlertsPassResult, leasedAlerts } from './alerts-evaluate.js';
import { driveRun } from './backfill.js';
import type { ServiceContext } from './context.js';
import { type DeliveriesPassResult, sendDueDeliveries } from './deliveries.js';
import { leasedPass } from './leases.js';
import { processLlmJobs } from './llm-worker.js';
import { prune } from './retention.js';
import { resumeRuns } from './run-resume.js';
import { leasedSettle, type SettleResult } from './settle.js';

/** What one tick did. */
export interface TickResult extends SettleResult {
  llmJobs: number;
  runs: number;
  /** Runs a day cap paused that went on again this tick (their cap's UTC day ended, or it was raised). */
  resumed: number;
  alerts: AlertsPassResult;
  deliveries: DeliveriesPassResult;
}

/** Which parts of a tick to run: Workers settle on Cron and judge/backfill from the Queue consumer. */
export interface TickParts {
  settle?: boolean;
  llm?: boolean;
  runs?: boolean;
  /** Put back to running the runs a day cap paused once its UTC day ended or the cap was raised (default on; Workers then queue them). */
  resume?: boolean;
  prune?: boolean;
  alerts?: boolean;
  deliveries?: boolean;
}

/**
 * One pass of the service's clock-driven work: label settled traces and idle sessions, run queued LLM jobs,
 * advance unfinished backfill runs (so a restart resumes them), evaluate the alerts that are due (after the
 * labelling, so an evaluation sees the labels this tick wrote; a run a day cap paused goes on once that UTC day ended), make one attempt at each due alert delivery (a
 * failed one waits in the store for a later tick), and prune old traffic. Work shared with other replicas is
 * claimed: settle, alerts and retention run where their lane's lease is taken (a part another replica is running
 * counts nothing here), jobs, runs and deliveries are claimed one by one. Node runs these in separate lanes
 * instead (node-runner.ts); this is the Workers Cron tick and the tests' clock.
 */
export async function tickWith(ctx: ServiceContext, now: number, parts: TickParts = {}): Promise<TickResult> {
  const noSettle = { traces: 0, sessions: 0, labels: 0, queued: 0, unreadable: 0 };
  const noAlerts = { evaluations: 0, transitions: 0, notifications: 0, deliveries: 0, errors: 0 };
  const s = parts.settle === false ? noSettle : ((await leasedSettle(ctx, now)) ?? noSettle);
  let llmJobs = 0;
  if (parts.llm !== false) {
    for (let n = await processLlmJobs(ctx); n > 0; n = await processLlmJobs(ctx)) llmJobs += n;
  }
  const resumed = parts.resume === false ? 0 : await resumeRuns(ctx, now);
  let runs = 0;
  if (parts.runs !== false) {
    for (const run of await unfinishedRuns(ctx.store)) {
      if ((await driveRun(ctx, run.id)) !== 'held') runs++;
    }
  }
  const alerts = parts.alerts === false ? noAlerts : ((await leasedAlerts(ctx, now)) ?? noAlerts);
  const deliveries = parts.deliveries === false ? { sent: 0, retrying: 0, failed: 0 } : await sendDueDeliveries(ctx, now);
  if (parts.prune !== false) await leasedPass(ctx, 'retention', () => prune(ctx, now));
  return { ...s, llmJobs, runs, resumed, alerts, deliveries };
}
