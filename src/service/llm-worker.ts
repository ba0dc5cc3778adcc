import { providerCalls, providerOf } from './breakers.js';
import { fencedBatch } from '../store/claims.js';
import { claimJobs, closeJob, jobFence, readyJobGroups, renewJob, type LlmJobRow } from '../store/jobs.js';
import { labelledTargets, labelStatements } from '../store/labels.js';
import type { StoreStatement } from '../store/types.js';
import type { ServiceContext } from './context.js';
import { judgeTargets, labelOf, withCurrentCaps } from './labeller.js';
import type { SignalDefinition } from '../custom/definition.js';
import { signalDayCaps } from '../custom/llm/config.js';
import { type Hold, holdWhile, isClaimLost } from './leases.js';
import { loadSignal, loadTarget } from './loading.js';

const MAX_ATTEMPTS = 3;
const DEFAULT_CONCURRENCY = 4;

/**
 * Runs queued LLM judging jobs (live targets the rules left undecided, or LLM-judged signals) and waits for them.
 * Returns jobs processed. See `startLlmJobs`.
 */
export async function processLlmJobs(ctx: ServiceContext, limit = 20): Promise<number> {
  const started = await startLlmJobs(ctx, limit);
  await Promise.all(started);
  return started.length;
}

/** The agent of a job's target; jobs queued before targets were keyed by agent have none (resolved by id). */
function agentOf(job: LlmJobRow): string | undefined {
  return job.agent === '' ? undefined : job.agent;
}

/**
 * Starts up to `limit` ready jobs without waiting for them: per provider, as many as its concurrency has free
 * slots, none while its breaker has it paused (one trial job once the pause ran out). So a hanging or failing
 * provider holds only its own slots; its jobs wait in the store. Each job's label and its closing commit
 * together. Jobs are claimed with a lease renewed while they run (`ctx.leaseMs`), so replicas share the queue and
 * a job whose replica died is taken again once its lease ran out. `onDone` is called as each job ends.
 */
export async function startLlmJobs(ctx: ServiceContext, limit: number, onDone?: () => void): Promise<Promise<void>[]> {
  const now = ctx.now();
  const byProvider = new Map<string, { versions: { signalId: string; version: number }[]; concurrency: number }>();
  for (const group of await readyJobGroups(ctx.store, now)) {
    const signal = await loadSignal(ctx, group.signalId, group.version).catch(() => undefined);
    const definition = signal === undefined ? undefined : await withCurrentCaps(ctx, signal);
    // A job whose signal or provider is gone goes with the default provider's; `runJob` closes it with the reason.
    const found = definition === undefined ? undefined : providerOf(definition, ctx.providers);
    const provider = found?.name ?? 'default';
    // A day cap this replica met: the signal's or the provider's jobs wait for the next UTC day, unless the signal's
    // caps changed since (a new version raised them: its jobs go on at once).
    const signalCaps = definition === undefined ? undefined : dayCapsKey(definition);
    if (budgetPause(ctx, `signal:${group.signalId}`, now, signalCaps) !== undefined || budgetPause(ctx, `provider:${provider}`, now) !== undefined) continue;
    const concurrency = found?.maxConcurrency ?? DEFAULT_CONCURRENCY;
    const entry = byProvider.get(provider);
    if (entry === undefined) byProvider.set(provider, { versions: [group], concurrency });
    else {
      entry.versions.push(group);
      entry.concurrency = Math.min(entry.concurrency, concurrency);
    }
  }
  const started: Promise<void>[] = [];
  for (const [provider, { versions, concurrency }] of byProvider) {
    const free = Math.min(concurrency - (ctx.llmInFlight.get(provider) ?? 0), limit - started.length);
    const admitted = ctx.breakers.admit(provider, free);
    if (admitted <= 0) continue;
    const trial = ctx.breakers.paused(provider) !== undefined;
    const jobs: LlmJobRow[] = [];
    for (const of of versions) {
      if (jobs.length >= admitted) break;
      jobs.push(...(await claimJobs(ctx.store, { owner: ctx.replicaId, now, leaseMs: ctx.leaseMs }, admitted - jobs.length, of)));
    }
    if (jobs.length === 0 && trial) ctx.breakers.released(provider);
    for (const [i, job] of jobs.entries()) {
      ctx.llmInFlight.set(provider, (ctx.llmInFlight.get(provider) ?? 0) + 1);
      const isTrial = trial && i === 0;
      started.push(
        holdWhile(ctx, (now) => renewJob(ctx.store, job.id, job.leaseToken!, { owner: ctx.replicaId, now, leaseMs: ctx.leaseMs }), (hold) =>
          runJob(ctx, job, provider, isTrial, hold),
        ).finally(() => {
          ctx.llmInFlight.set(provider, (ctx.llmInFlight.get(provider) ?? 1) - 1);
          if (isTrial) ctx.breakers.released(provider);
          onDone?.();
        }),
      );
    }
  }
  return started;
}

/** Runs one job: label and close, or back to the queue when its provider failed (no attempt spent), or retry. */
async function runJob(ctx: ServiceContext, job: LlmJobRow, provider: string, trial: boolean, hold: Hold): Promise<void> {
  const attempts = job.attempts + 1;
  const token = job.leaseToken!;
  // Every write of the job commits only while it still holds its claim: one taken over writes nothing.
  const commit = (statements: StoreStatement[]) => fencedBatch(ctx.store, jobFence(ctx.store, job.id, token), statements);
  try {
    const signal = await loadSignal(ctx, job.signalId, job.version);
    const loaded = await loadTarget(ctx, job.targetKind, job.targetId, agentOf(job));
    if (loaded === undefined) {
      await commit([closeJob(ctx.store, job.id, token, 'failed', attempts, 'target no longer stored')]);
      return;
    }
    // The label keeps the revision the job was queued for.
    loaded.target.meta.revision = job.revision;
    // A backfill of the same version may have judged this target meanwhile: asking again would pay twice.
    const target = { agent: loaded.target.agent, id: job.targetId, revision: job.revision };
    if ((await labelledTargets(ctx.store, job.signalId, job.version, job.targetKind, [target])).size > 0) {
      await commit([closeJob(ctx.store, job.id, token, 'done', job.attempts, null)]);
      return;
    }
    const calls = providerCalls(ctx.breakers, provider, ctx.fetch, trial);
    // Sampling and filter were applied when the job was queued: judge at rate 1.
    const judged = await judgeTargets(ctx, signal, [loaded], { runId: null, rate: 1, background: true, calls, beforeRequest: hold.check });
    if (judged.stopped?.cause === 'provider') {
      // The provider's failure, not the target's: the job waits for the provider (its breaker decides when).
      await commit([closeJob(ctx.store, job.id, token, 'pending', job.attempts, `provider ${provider} failed; waiting for it`)]);
      return;
    }
    if (judged.stopped?.cause === 'budget') {
      // A cap, not the target: the job waits (no attempt spent) and this replica claims no more of that account's
      // jobs until the next UTC day; what the request booked stays booked.
      const { detail, message } = judged.stopped.error;
      const day = Date.parse(`${detail.day}T00:00:00Z`);
      const caps = detail.account.startsWith('signal:') ? dayCapsKey(await withCurrentCaps(ctx, signal)) : undefined;
      ctx.budgetPauses.set(detail.account, { reason: message, until: Number.isNaN(day) ? Infinity : day + 86_400_000, caps });
      await commit([closeJob(ctx.store, job.id, token, 'pending', job.attempts, message)]);
      return;
    }
    await commit([...(await labelStatements(ctx.store, judged.labels)), closeJob(ctx.store, job.id, token, 'done', attempts, null)]);
  } catch (e) {
    // Taken over before a request: the new holder runs the job.
    if (isClaimLost(e)) return;
    const message = (e as Error).message;
    if (attempts >= MAX_ATTEMPTS) {
      // Out of attempts: recorded as an error label (never a guessed one) so the target is not silently lost.
      const signal = await loadSignal(ctx, job.signalId, job.version).catch(() => undefined);
      const loaded = signal === undefined ? undefined : await loadTarget(ctx, job.targetKind, job.targetId, agentOf(job));
      const statements: StoreStatement[] = [closeJob(ctx.store, job.id, token, 'failed', attempts, message)];
      if (signal !== undefined && loaded !== undefined) {
        loaded.target.meta.revision = job.revision;
        const verdict = { status: 'error' as const, label: null, explanation: message, judge: 'llm' as const, cost: { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 } };
        statements.unshift(...(await labelStatements(ctx.store, [labelOf(signal, loaded, verdict, null, ctx.now())])));
      }
      await commit(statements);
    } else {
      await commit([closeJob(ctx.store, job.id, token, 'pending', attempts, message)]);
    }
  }
}

/** A signal's day caps as a key, to tell whether they changed since a pause. */
function dayCapsKey(definition: SignalDefinition): string {
  return JSON.stringify(signalDayCaps(definition.llm));
}

/**
 * The day-cap pause of a ledger account on this replica, or undefined: a pause that ran out is forgotten, and so is a
 * signal's pause once its day caps (`caps`, as `dayCapsKey` gives them now) differ from those it was paused under.
 */
function budgetPause(ctx: ServiceContext, account: string, now: number, caps?: string): { reason: string; until: number } | undefined {
  const pause = ctx.budgetPauses.get(account);
  if (pause === undefined || (now < pause.until && (caps === undefined || pause.caps === undefined || pause.caps === caps))) return pause;
  ctx.budgetPauses.delete(account);
  return undefined;
}
