import { labelStatements } from '../store/labels.js';
import { allActiveSignals, type SignalRow } from '../store/signals.js';
import { dueSessions, dueTraces, keyOf, markSessionSettled, markTraceSettled, spansOfSessions, spansOfTraces } from '../store/traffic.js';
import type { StoreStatement } from '../store/types.js';
import type { ServiceContext } from './context.js';
import { currentDefinition, jobStatements, judgeTargets, type LabellingSignal, type TimedTarget } from './labeller.js';
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
    const quietBefore = now - (kind === 'trace' ? ctx.traceSettleMs : ctx.sessionIdleMs);
    for (;;) {
      const due = kind === 'trace' ? await dueTraces(ctx.store, quietBefore, PAGE.trace) : await dueSessions(ctx.store, quietBefore, PAGE.session);
      if (due.length === 0) break;
      // One page is one batch: its spans loaded in one query, its labels and settled marks committed together.
      const spansBy = kind === 'trace' ? await spansOfTraces(ctx.store, due) : await spansOfSessions(ctx.store, due);
      const statements: StoreStatement[] = [];
      const bySignal = new Map<LabellingSignal, TimedTarget[]>();
      const slice = slicer();
      for (const row of due) {
        await slice.tick();
        const rows = spansBy.get(keyOf(row.agent, row.id));
        // A trace without a session id is its own conversation: session-scope signals judge it per trace.
        const sessionless = kind === 'trace' && (row as { sessionId?: string | null }).sessionId == null;
        const signals = sessionless ? [...forAgent(row.agent, 'trace'), ...forAgent(row.agent, 'session')] : forAgent(row.agent, kind);
        if (rows !== undefined && rows.length > 0) {
          const timed: TimedTarget = { target: targetFromSpans(kind, row.id, rows, row.revision), at: row.endMs };
          // The built-in summary the traffic explorer lists, whether or not a custom signal labels this unit.
          statements.push(...summarize(ctx.store, kind, row, timed.target));
          // Nothing readable (for example content that has not arrived): counted, never judged; it is judged
          // when a later revision brings a readable message.
          if (!hasReadableMessage(timed.target)) result.unreadable++;
          else {
            for (const s of signals) {
              const list = bySignal.get(s);
              if (list === undefined) bySignal.set(s, [timed]);
              else list.push(timed);
            }
          }
        }
        statements.push(kind === 'trace' ? markTraceSettled(ctx.store, row, row.revision) : markSessionSettled(ctx.store, row, row.revision));
      }
      for (const [s, targets] of bySignal) {
        const judged = await judgeTargets(ctx, s, targets, { runId: null, rate: s.definition.sample_rate, background: false });
        statements.unshift(...(await labelStatements(ctx.store, judged.labels)), ...jobStatements(ctx, judged));
        result.labels += judged.labels.length;
        result.queued += judged.jobs.length;
      }
      await ctx.store.batch(statements);
      if (kind === 'trace') result.traces += due.length;
      else result.sessions += due.length;
      if (due.length < PAGE[kind]) break;
    }
  }
  if (result.queued > 0) await ctx.notify({ type: 'llm' });
  return result;
}
