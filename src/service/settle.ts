import { labelStatements } from '../store/labels.js';
import { allActiveSignals, type SignalRow } from '../store/signals.js';
import { dueSessions, dueTraces, keyOf, settledStatements, spansOfSessions, spansOfTraces } from '../store/traffic.js';
import { summaryStatements, type UnitSummary } from '../store/explore.js';
import type { StoreStatement } from '../store/types.js';
import type { ServiceContext } from './context.js';
import { leasedPassWhenDue } from './leases.js';
import { currentDefinition, jobStatements, judgeLiveSignals, type LabellingSignal, type TimedTarget } from './labeller.js';
import { slicer } from './slices.js';
import { hasReadableMessage } from '../custom/readable.js';
import { summarize } from './summaries.js';
import { targetFromSpans } from './targets.js';

/** What one settle pass labelled. */
export interface SettleResult {
  traces: number;
  sessions: number;
  labels: number;
  queued: number;
  /** Settled traces and sessions with no readable message: never labelled. */
  unreadable: number;
}

/** Targets per page: a session carries all its spans, so fewer of them make one batch. */
const PAGE = { trace: 100, session: 25 } as const;

/**
 * A settle pass at `now` under the store's `settle` lease, taken only when a trace or a session waits (an idle
 * service writes nothing); undefined when another replica holds the lease or nothing waits.
 */
export function leasedSettle(ctx: ServiceContext, now: number): Promise<SettleResult | undefined> {
  return leasedPassWhenDue(ctx, 'settle', () => settleDue(ctx, now), () => settle(ctx, now));
}

/** Whether a trace or a session waits to settle at `now` (one read each, on their indexes of unsettled rows). */
async function settleDue(ctx: ServiceContext, now: number): Promise<boolean> {
  return (await dueOf(ctx, 'trace', now, 1)).length > 0 || (await dueOf(ctx, 'session', now, 1)).length > 0;
}

/**
 * The first `limit` traces (completed, quiet for the settle time) or sessions (idle for the idle time) waiting to settle
 * at `now`, oldest first: what a pass settles, and what `settleDue` asks for, read the same way.
 */
function dueOf(ctx: ServiceContext, kind: 'trace' | 'session', now: number, limit: number) {
  return kind === 'trace' ? dueTraces(ctx.store, now - ctx.traceSettleMs, limit) : dueSessions(ctx.store, now - ctx.sessionIdleMs, limit);
}

/**
 * Labels traces that completed (root ended, quiet for the settle time) and sessions idle for the idle time
 * (again after they resume: their revision grew), for every active signal of their agent at that scope.
 * A page's labels and settled marks commit together, so a crash mid-pass redoes only unmarked targets.
 */
export async function settle(ctx: ServiceContext, now: number): Promise<SettleResult> {
  const result: SettleResult = { traces: 0, sessions: 0, labels: 0, queued: 0, unreadable: 0 };
  const active = await allActiveSignals(ctx.store);
  const definitions = new Map<string, LabellingSignal>();
  for (const row of active) {
    const definition = await currentDefinition(ctx, row);
    if (definition !== undefined) definitions.set(row.id, { row, version: row.version, definition });
  }
  const forAgent = (agent: string, scope: SignalRow['scope']) =>
    [...definitions.values()].filter((s) => s.row.scope === scope && (s.row.agent === '*' || s.row.agent === agent));

  for (const kind of ['trace', 'session'] as const) {
    for (;;) {
      // From the page's first read: a local libsql read resolves without a turn of the event loop. Short slices: an
      // export's turn waits on the main thread meanwhile (its judge thread's answer, its statements), and settling
      // can wait.
      const slice = slicer(2);
      const due = await dueOf(ctx, kind, now, PAGE[kind]);
      if (due.length === 0) break;
      // One page is one batch: its spans loaded in one query, its labels and settled marks committed together.
      const spansBy = kind === 'trace' ? await spansOfTraces(ctx.store, due) : await spansOfSessions(ctx.store, due);
      const targets: TimedTarget[] = [];
      const bySignal = new Map<LabellingSignal, number[]>();
      const units: { row: (typeof due)[number]; target: number | null }[] = [];
      for (const row of due) {
        await slice.tick();
        const rows = spansBy.get(keyOf(row.agent, row.id));
        // A trace without a session id is its own conversation: session-scope signals judge it per trace.
        const sessionless = kind === 'trace' && (row as { sessionId?: string | null }).sessionId == null;
        const signals = sessionless ? [...forAgent(row.agent, 'trace'), ...forAgent(row.agent, 'session')] : forAgent(row.agent, kind);
        if (rows === undefined || rows.length === 0) {
          units.push({ row, target: null });
          continue;
        }
        const at = targets.push({ target: targetFromSpans(kind, row.id, rows, row.revision), at: row.endMs }) - 1;
        units.push({ row, target: at });
        // Nothing readable (for example content that has not arrived): counted, never judged; it is judged
        // when a later revision brings a readable message.
        if (!hasReadableMessage(targets[at].target)) {
          result.unreadable++;
          continue;
        }
        for (const s of signals) {
          const list = bySignal.get(s);
          if (list === undefined) bySignal.set(s, [at]);
          else list.push(at);
        }
      }
      // Every signal of the page in one inline judging call (a worker pool on Node): each target is sent once, and
      // the same call gives the built-in report of every target for its summary. Deferrable: an export waiting for
      // its span labels holds the store's turn, so its judging goes first.
      const live = [...bySignal].map(([signal, indexes]) => ({ signal, targets: indexes }));
      const judged = await judgeLiveSignals(ctx, targets, live, targets.map((_, i) => i), { deferrable: true });
      const statements: StoreStatement[] = [];
      for (const j of judged.judged) {
        // Each signal's label rows (and the read of which targets were labelled before) in a task of its own.
        await slice.tick();
        statements.push(...(await labelStatements(ctx.store, j.labels)), ...jobStatements(ctx, j));
        result.labels += j.labels.length;
        result.queued += j.jobs.length;
      }
      const summaries: UnitSummary[] = [];
      for (const { row, target } of units) {
        await slice.tick();
        if (target !== null) {
          const t = targets[target].target;
          t.report = judged.reports[target];
          // The built-in summary the traffic explorer lists, whether or not a custom signal labels this unit.
          summaries.push(summarize(kind, row, t));
        }
      }
      statements.push(...summaryStatements(ctx.store, summaries), ...settledStatements(ctx.store, kind, units.map((u) => u.row)));
      await slice.tick();
      await ctx.store.batch(statements);
      if (kind === 'trace') result.traces += due.length;
      else result.sessions += due.length;
      if (due.length < PAGE[kind]) break;
    }
  }
  if (result.queued > 0) await ctx.notify({ type: 'llm' });
  return result;
}
