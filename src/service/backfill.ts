import { labelledTargets, labelStatements } from '../store/labels.js';
import { dayEnd } from '../custom/llm/budget.js';
import { fencedBatch } from '../store/claims.js';
import { advanceRun, claimRun, finishRun, releaseRun, renewRun, runById, runFence, type RunRow } from '../store/runs.js';
import { listTargets } from '../store/traffic.js';
import { providerCalls, providerOf } from './breakers.js';
import type { ServiceContext } from './context.js';
import { addCost, judgeTargets } from './labeller.js';
import { type Hold, holdWhile, isClaimLost } from './leases.js';
import { loadSignal, loadTargets } from './loading.js';

/**
 * Outcome of one batch: more to do, the run is finished/stopped, it waits for its paused LLM provider, or another
 * replica holds it (that replica goes on with it).
 */
export type BatchOutcome = 'more' | 'finished' | 'waiting' | 'held';

/** The last target processed, stored as JSON `[at, agent, id]`. */
function parseCursor(cursor: string | null): { at: number; agent: string; id: string } | undefined {
  if (cursor === null) return undefined;
  const [at, agent, id] = JSON.parse(cursor) as [number, string, string];
  return { at, agent, id };
}

/** Where a target stands in the batch's refs (they were loaded from them, so it is there). */
function refIndex(refs: { agent: string; id: string }[], target: { agent: string; id: string }): number {
  const i = refs.findIndex((r) => r.agent === target.agent && r.id === target.id);
  if (i < 0) throw new Error(`target ${target.id} is not in its batch`);
  return i;
}

/**
 * Labels the next batch of a run's window with the run's signal version. The batch's labels and the run's
 * progress (done, counts, cost, cursor) commit together, guarded by the cursor the batch started from, so a
 * batch re-run after a crash changes nothing and a restart resumes after the last committed batch. Targets
 * that version already labelled (same revision) are skipped, so re-running a window adds nothing.
 */
export async function processRunBatch(ctx: ServiceContext, runId: string, claimed?: RunRow): Promise<BatchOutcome> {
  const claimant = () => ({ owner: ctx.replicaId, now: ctx.now(), leaseMs: ctx.leaseMs });
  // One claim advances a run at a time: it is taken for the batch (or was, by the caller: `claimed`), kept while the
  // batch works and given back after (a process that stops between batches holds nothing); one killed or stalled
  // mid-batch holds it until the lease runs out, then another takes over from the cursor, and the old holder's
  // requests and writes stop at its next check (see `holdWhile`, `runFence`).
  const run = claimed ?? (await claimRun(ctx.store, runId, claimant()));
  if (run === undefined) {
    const row = await runById(ctx.store, runId);
    return row === undefined || (row.status !== 'queued' && row.status !== 'running') ? 'finished' : 'held';
  }
  const token = run.leaseToken!;
  try {
    return await holdWhile(ctx, (now) => renewRun(ctx.store, runId, token, { ...claimant(), now }), (hold) => runBatch(ctx, run, token, hold));
  } finally {
    await releaseRun(ctx.store, runId, token).catch(() => undefined);
  }
}

async function runBatch(ctx: ServiceContext, run: RunRow, token: string, hold: Hold): Promise<BatchOutcome> {
  const fence = runFence(ctx.store, run.id, token);
  try {
    const signal = await loadSignal(ctx, run.signalId, run.version);
    const provider = providerOf(signal.definition, ctx.providers)?.name ?? 'default';
    const usesLlm = signal.definition.judge !== 'rules';
    if (usesLlm && ctx.breakers.paused(provider) !== undefined) return 'waiting';
    const after = parseCursor(run.cursor);
    const refs = await listTargets(ctx.store, signal.row.scope, {
      agent: signal.row.agent,
      since: run.since,
      until: run.until,
      after,
      limit: ctx.batchSize,
    });
    if (refs.length === 0) {
      await finishRun(ctx.store, run.id, 'done', ctx.now(), null, token);
      return 'finished';
    }
    const already = await labelledTargets(
      ctx.store,
      signal.row.id,
      signal.version,
      signal.row.scope,
      refs.map((r) => ({ agent: r.agent, id: r.id, revision: String(r.revision) })),
    );
    const targets = await loadTargets(ctx, signal.row.scope, refs.filter((ref) => !already.has(`${ref.agent}\0${ref.id}\0${ref.revision}`)));
    const calls = providerCalls(ctx.breakers, provider, ctx.fetch);
    const judged = await judgeTargets(ctx, signal, targets, { runId: run.id, rate: run.rate, background: true, calls, beforeRequest: hold.check });
    // Stopped part-way (a cap refused a request, or the provider failed): the targets before the one it stopped at
    // are judged and paid for, so they commit with the cursor moved to just before it; the rest waits for the
    // provider (the run goes on from there) or for a raised cap / a new run (the run pauses with the reason).
    const stopAt = judged.stopped === undefined ? refs.length : refIndex(refs, targets[judged.stopped.at]!.target);
    const counts = { ...(run.counts as Record<string, number>) };
    for (const [k, n] of Object.entries(judged.counts)) counts[k] = (counts[k] ?? 0) + n;
    const cost = { requests: run.requests, inputTokens: run.inputTokens, outputTokens: run.outputTokens, usd: run.usd };
    addCost(cost, judged.cost);
    const last = stopAt === 0 ? undefined : refs[stopAt - 1];
    const committed = await fencedBatch(ctx.store, fence, [
      ...(await labelStatements(ctx.store, judged.labels)),
      advanceRun(ctx.store, run, { done: run.done + stopAt, counts, unreadable: run.unreadable + judged.unreadable, cost, cursor: last === undefined ? run.cursor : JSON.stringify([last.at, last.agent, last.id]) }, ctx.now()),
    ]);
    // Taken over meanwhile: the new holder judges the batch again; this one's labels and progress are not written.
    if (!committed) return 'held';
    if (judged.stopped?.cause === 'provider') return 'waiting';
    if (judged.stopped?.cause === 'budget') {
      // A day cap lifts at the end of its UTC day: the run goes on by itself then. A run cap waits for a new run.
      const { detail, message } = judged.stopped.error;
      const resumeAt = detail.scope === 'day' ? dayEnd(detail.day) : null;
      await finishRun(ctx.store, run.id, 'paused', ctx.now(), message, token, resumeAt);
      return 'finished';
    }
    if (refs.length < ctx.batchSize) {
      await finishRun(ctx.store, run.id, 'done', ctx.now(), null, token);
      return 'finished';
    }
    return 'more';
  } catch (e) {
    // Taken over before a request: the new holder goes on with the run.
    if (isClaimLost(e)) return 'held';
    const error = e as Error;
    await finishRun(ctx.store, run.id, 'failed', ctx.now(), error.message, token);
    return 'finished';
  }
}

/** Runs batches of one run until it finishes or waits, or until `maxBatches` (tests stop a run mid-way with it). */
export async function driveRun(ctx: ServiceContext, runId: string, maxBatches = Infinity): Promise<BatchOutcome> {
  let outcome: BatchOutcome = 'more';
  for (let i = 0; i < maxBatches && outcome === 'more'; i++) outcome = await processRunBatch(ctx, runId);
  return outcome;
}
