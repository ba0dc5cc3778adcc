import { claimJobs, closeJob, type LlmJobRow } from '../store/jobs.js';
import { labelStatements } from '../store/labels.js';
import type { ServiceContext } from './context.js';
import { judgeTargets, labelOf } from './labeller.js';
import { loadSignal, loadTarget } from './loading.js';

const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 3;

/**
 * Runs queued LLM judging jobs (live targets the rules left undecided, or LLM-judged signals). Each job's label and
 * its closing commit together; a job whose worker died is leased again after `LEASE_MS`. Returns jobs processed.
 */
export async function processLlmJobs(ctx: ServiceContext, limit = 20): Promise<number> {
  const jobs = await claimJobs(ctx.store, ctx.now(), LEASE_MS, limit);
  for (const job of jobs) await runJob(ctx, job);
  return jobs.length;
}

/** Runs one job by its row (Workers' queue consumer passes the id; see `processLlmJob`). */
async function runJob(ctx: ServiceContext, job: LlmJobRow): Promise<void> {
  const attempts = job.attempts + 1;
  try {
    const signal = await loadSignal(ctx, job.signalId, job.version);
    const loaded = await loadTarget(ctx, job.targetKind, job.targetId);
    if (loaded === undefined) {
      await ctx.store.batch([closeJob(ctx.store, job.id, 'failed', attempts, 'target no longer stored')]);
      return;
    }
    // The label keeps the revision the job was queued for.
    loaded.target.meta.revision = job.revision;
    // Sampling and filter were applied when the job was queued: judge at rate 1.
    const judged = await judgeTargets(ctx, signal, [loaded], { runId: null, rate: 1, background: true });
    await ctx.store.batch([...(await labelStatements(ctx.store, judged.labels)), closeJob(ctx.store, job.id, 'done', attempts, null)]);
  } catch (e) {
    const message = (e as Error).message;
    if (attempts >= MAX_ATTEMPTS) {
      // Out of attempts: recorded as an error label (never a guessed one) so the target is not silently lost.
      const signal = await loadSignal(ctx, job.signalId, job.version).catch(() => undefined);
      const loaded = signal === undefined ? undefined : await loadTarget(ctx, job.targetKind, job.targetId);
      const statements = [closeJob(ctx.store, job.id, 'failed', attempts, message)];
      if (signal !== undefined && loaded !== undefined) {
        loaded.target.meta.revision = job.revision;
        const verdict = { status: 'error' as const, label: null, explanation: message, judge: 'llm' as const, cost: { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 } };
        statements.unshift(...(await labelStatements(ctx.store, [labelOf(signal, loaded, verdict, null, ctx.now())])));
      }
      await ctx.store.batch(statements);
    } else {
      await ctx.store.batch([closeJob(ctx.store, job.id, 'pending', attempts, message)]);
    }
  }
}
