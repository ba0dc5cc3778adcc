import type { SignalDefinition } from '../custom/definition.js';
import { keep } from '../custom/sample.js';
import type { SignalReport } from '../core/types.js';
import type { JudgeCost, Target, Verdict } from '../custom/types.js';
import { enqueueJobs, jobId, type NewLlmJob } from '../store/jobs.js';
import type { NewLabel } from '../store/labels.js';
import { versionDefinition, type SignalRow } from '../store/signals.js';
import type { ServiceContext } from './context.js';
import { slicer } from './slices.js';
import { hasReadableMessage } from '../custom/readable.js';
import { judgeLive, type InlineJudgeOptions } from './judging.js';
import { type BudgetExceededError, isBudgetExceeded } from '../custom/llm/budget.js';
import type { ProviderCalls } from './breakers.js';

const DEFINITIONS_KEPT = 1_000;

/** The definition of a signal at its current version, read once per version (versions are immutable). */
export async function currentDefinition(ctx: ServiceContext, row: SignalRow): Promise<SignalDefinition | undefined> {
  const key = `${row.id}@${row.version}`;
  const kept = ctx.definitions.get(key);
  if (kept !== undefined) return kept;
  const definition = await versionDefinition(ctx.store, row.id, row.version);
  if (definition === undefined) return undefined;
  if (ctx.definitions.size >= DEFINITIONS_KEPT) ctx.definitions.clear();
  ctx.definitions.set(key, definition);
  return definition;
}

/** The spending caps of a definition's `llm` section: what `withCurrentCaps` takes from the signal's current version. */
const CAP_FIELDS = ['max_requests_per_run', 'max_tokens_per_run', 'max_usd_per_run', 'max_requests_per_day', 'max_usd_per_day'] as const;

/**
 * The definition background work judges `s`'s targets with: its own version's (prompt, labels, provider, model: the
 * label is that version's), with the spending caps of the signal's current version. Queued jobs and runs of an older
 * version spend on the signal's accounts, so they are held to the caps in force now: a lowered cap stops them, a
 * raised one lets them go (the provider's caps are the operator's as configured).
 */
export async function withCurrentCaps(ctx: ServiceContext, s: LabellingSignal): Promise<SignalDefinition> {
  if (s.version === s.row.version) return s.definition;
  const current = await currentDefinition(ctx, s.row);
  // A current version that calls no LLM has no caps to give: the work keeps its own version's (never none).
  if (current === undefined || current.judge === 'rules' || current.judge === 'learned') return s.definition;
  const llm: Record<string, unknown> = { ...(s.definition.llm ?? {}) };
  const now = (current.llm ?? {}) as Record<string, unknown>;
  for (const field of CAP_FIELDS) {
    if (now[field] === undefined) delete llm[field];
    else llm[field] = now[field];
  }
  return { ...s.definition, llm: llm as SignalDefinition['llm'] };
}

/** A signal at the version that labels. */
export interface LabellingSignal {
  row: SignalRow;
  version: number;
  definition: SignalDefinition;
}

/** A target with its traffic time. */
export interface TimedTarget {
  target: Target;
  at: number;
}

/** What judging a set of targets produced: labels to write, LLM jobs to queue, and tallies. */
export interface Judged {
  labels: NewLabel[];
  jobs: NewLlmJob[];
  counts: Record<string, number>;
  /** Targets left unlabelled because they have no readable message (see `hasReadableMessage`). */
  unreadable: number;
  cost: JudgeCost;
  /**
   * Background judging that stopped before the end (`judgeTargets`): at target `at` (an index of the targets given;
   * those before it were judged and are in `labels`, that one and those after were not), because a spending cap
   * refused a request (`budget`, with the error) or the provider failed (`provider`). What was judged is paid for.
   */
  stopped?: { at: number; cause: 'budget'; error: BudgetExceededError } | { at: number; cause: 'provider' };
}

/** An empty cost. */
export function zeroCost(): JudgeCost {
  return { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 };
}

/** Adds `b` into `a`. */
export function addCost(a: JudgeCost, b: JudgeCost): void {
  a.requests += b.requests;
  a.inputTokens += b.inputTokens;
  a.outputTokens += b.outputTokens;
  a.usd += b.usd;
}

/** The label row of a verdict. */
export function labelOf(s: LabellingSignal, t: TimedTarget, v: Verdict, runId: string | null, now: number): NewLabel {
  return {
    signalId: s.row.id,
    version: s.version,
    targetKind: t.target.kind,
    targetId: t.target.id,
    revision: t.target.meta.revision ?? '1',
    agent: t.target.agent,
    status: v.status,
    value: v.status === 'labelled' ? v.label : null,
    explanation: v.explanation,
    judge: v.judge,
    requests: v.cost.requests,
    inputTokens: v.cost.inputTokens,
    outputTokens: v.cost.outputTokens,
    usd: v.cost.usd,
    runId,
    at: t.at,
    labelledAt: now,
  };
}

/** A job that labels target `t` for signal `s` with the LLM (one per signal version and target revision). */
function jobOf(s: LabellingSignal, t: TimedTarget, now: number): NewLlmJob {
  const revision = t.target.meta.revision ?? '1';
  return {
    id: jobId(s.row.id, s.version, t.target.kind, t.target.agent, t.target.id, revision),
    signalId: s.row.id,
    version: s.version,
    targetKind: t.target.kind,
    agent: t.target.agent,
    targetId: t.target.id,
    revision,
    createdAt: now,
  };
}

/** Adds a verdict to `out`: its label row, its count and its cost. */
function record(out: Judged, s: LabellingSignal, t: TimedTarget, verdict: Verdict, runId: string | null, now: number): void {
  out.labels.push(labelOf(s, t, verdict, runId, now));
  const key = verdict.status === 'labelled' && verdict.label !== null ? verdict.label : verdict.status;
  out.counts[key] = (out.counts[key] ?? 0) + 1;
  addCost(out.cost, verdict.cost);
}

/** A signal and the targets (indexes) it labels live. */
export interface LiveSignal {
  signal: LabellingSignal;
  targets: number[];
}

/**
 * Live labelling (ingest, settling) of `targets` for several signals at once: the free judges (rules, learned)
 * run in one call of the context's inline judge (a worker pool on Node, so the event loop stays free), and where a
 * signal needs the LLM a job is queued instead, so ingest never waits on an LLM. See `judgeLive`.
 */
export async function judgeLiveSignals(
  ctx: ServiceContext,
  targets: TimedTarget[],
  signals: LiveSignal[],
  reports: number[] = [],
  options: InlineJudgeOptions = {},
): Promise<{ judged: Judged[]; reports: SignalReport[] }> {
  const now = ctx.now();
  const results = await judgeLive(
    ctx.inline,
    ctx.ports,
    targets.map((t) => t.target),
    signals.map(({ signal, targets: indexes }) => ({ signalId: signal.row.id, version: signal.version, definition: signal.definition, targets: indexes })),
    reports,
    options,
  );
  const judged = results.judged.map((r, n) => {
    const s = signals[n].signal;
    const out: Judged = { labels: [], jobs: [], counts: {}, unreadable: r.unreadable, cost: zeroCost() };
    for (const { target, verdict } of r.outcomes) {
      if (verdict === null) out.jobs.push(jobOf(s, targets[target], now));
      else record(out, s, targets[target], verdict, null, now);
    }
    return out;
  });
  return { judged, reports: results.reports };
}

/**
 * Judges targets for one signal. Targets outside the sample (`keep` at `rate`) or the filter get nothing; targets
 * with no readable message get nothing either and are counted (`unreadable`).
 * `background` judging (backfill, the LLM worker) calls the full judge (through `calls.fetch`, which feeds the
 * provider's breaker); live judging runs the free judge only (see `judgeLiveSignals`, at the signal's own sample rate).
 * Background judging spends under the caps of the signal's current version (`withCurrentCaps`) and stops at the
 * first target a spending cap refuses or the provider failed on (`stopped`), and returns what it judged before it:
 * those answers are paid for and are the caller's to keep. `beforeRequest` is awaited before each LLM request; what
 * it throws (a lost claim) is thrown.
 */
export async function judgeTargets(
  ctx: ServiceContext,
  s: LabellingSignal,
  targets: TimedTarget[],
  options: { runId: string | null; rate: number; background: boolean; calls?: ProviderCalls; beforeRequest?: () => Promise<void> },
): Promise<Judged> {
  if (!options.background) return (await judgeLiveSignals(ctx, targets, [{ signal: s, targets: targets.map((_, i) => i) }])).judged[0];
  const out: Judged = { labels: [], jobs: [], counts: {}, unreadable: 0, cost: zeroCost() };
  const now = ctx.now();
  const def = await withCurrentCaps(ctx, s);
  const slice = slicer();
  for (const [at, t] of targets.entries()) {
    await slice.tick();
    if (!(await keep(def.scope, t.target.id, options.rate))) continue;
    if (!ctx.ports.matches(t.target, def)) continue;
    if (!hasReadableMessage(t.target)) {
      out.unreadable++;
      continue;
    }
    let verdict;
    try {
      verdict = await ctx.ports.judge(t.target, def, {
        llm: true,
        env: ctx.env,
        fetch: options.calls?.fetch ?? ctx.fetch,
        signalVersion: s.version,
        ledger: ctx.ledger,
        owners: { signal: s.row.id, run: options.runId },
        now: ctx.now,
        beforeRequest: options.beforeRequest,
      });
    } catch (e) {
      if (!isBudgetExceeded(e)) throw e;
      out.stopped = { at, cause: 'budget', error: e };
      return out;
    }
    // The provider's failure, not the target's: its error verdict is not kept (the target waits for the provider).
    if (verdict.status === 'error' && options.calls?.faulted === true) {
      addCost(out.cost, verdict.cost);
      out.stopped = { at, cause: 'provider' };
      return out;
    }
    record(out, s, t, verdict, options.runId, now);
  }
  return out;
}

/** Statements queueing the LLM jobs of `judged`. */
export function jobStatements(ctx: ServiceContext, judged: Judged) {
  return judged.jobs.length === 0 ? [] : enqueueJobs(ctx.store, judged.jobs);
}
