import type { SignalDefinition } from '../custom/definition.js';
import { learnedStands } from '../custom/judge.js';
import { hasReadableMessage } from '../custom/readable.js';
import { keep } from '../custom/sample.js';
import type { SignalReport } from '../core/types.js';
import { reportOf } from '../custom/rules/features.js';
import type { Target, Verdict } from '../custom/types.js';
import type { ServicePorts } from './ports.js';
import { slicer } from './slices.js';
import { ConversationReports } from './conversation-reports.js';

/** One signal's share of an inline judging call: its inline definition (rules or learned only) and the targets it judges. */
export interface InlineWork {
  /** Names the definition for its whole life (`id@version`): a judging thread compiles and keeps it once per key. */
  key: string;
  /** A definition whose `judge` is `rules` or `learned`: never an LLM. */
  definition: SignalDefinition;
  /** Indexes into the call's targets. */
  targets: number[];
}

/** Verdicts per work item (`verdicts[w][k]`), and the built-in reports asked for (`reports[k]` of target `reports[k]` asked). */
export interface InlineJudged {
  verdicts: Verdict[][];
  reports: SignalReport[];
}

/** How a judging call may wait for the judge threads. */
export interface InlineJudgeOptions {
  /**
   * Nobody waits on this call's answer (settling): on a pool its tasks go after those of calls someone waits for (an
   * export holding the store's turn, a test on stored traffic), and one of them after every few of those, so it is
   * never held back for good.
   */
  deferrable?: boolean;
}

/**
 * Judges targets with free, local judges (rules, learned models) for several signals at once: `verdicts[w][k]` is
 * `work[w].definition`'s verdict on `targets[work[w].targets[k]]`; it also gives the built-in report (the core analysis
 * the judges read too) of the targets listed in `reports`, for the traffic explorer's summaries. On Node a pool of worker threads does it (the
 * event loop stays free for requests); on Workers, and wherever no pool runs, it runs on this thread in slices.
 */
export interface InlineJudge {
  judge(targets: Target[], work: InlineWork[], reports?: number[], options?: InlineJudgeOptions): Promise<InlineJudged>;
  /** Stops the threads, if any. */
  close(): Promise<void>;
}

/**
 * Inline judging on this thread through the service's judge port, yielding to the event loop every 10 ms of
 * judging so requests are answered meanwhile (the Workers runtime, tests, and Node when no pool runs).
 */
export function inThreadJudge(ports: Pick<ServicePorts, 'judge'>): InlineJudge {
  const analyses = new ConversationReports();
  return {
    async judge(targets, work, reports = []) {
      const slice = slicer();
      for (const t of targets) analyses.attach(t);
      const out: Verdict[][] = [];
      for (const w of work) {
        const verdicts: Verdict[] = [];
        for (const i of w.targets) {
          await slice.tick();
          verdicts.push(await ports.judge(targets[i], w.definition, { llm: false }));
        }
        out.push(verdicts);
      }
      const analyzed: SignalReport[] = [];
      for (const i of reports) {
        await slice.tick();
        analyzed.push(reportOf(targets[i]));
      }
      return { verdicts: out, reports: analyzed };
    },
    close: async () => {},
  };
}

/**
 * A judge that falls back to another when the first fails as a whole (a worker thread that crashed or ran out of
 * memory answers an error for its task): the targets are judged again by `fallback` (this thread, in slices), so an
 * export is never refused because a judging thread died. `onFallback` hears each failure (the caller logs a fixed line).
 */
export function judgeWithFallback(primary: InlineJudge, fallback: InlineJudge, onFallback: (err: unknown) => void): InlineJudge {
  return {
    async judge(targets, work, reports, options) {
      try {
        return await primary.judge(targets, work, reports, options);
      } catch (err) {
        onFallback(err);
        return fallback.judge(targets, work, reports, options);
      }
    },
    close: async () => {
      await primary.close();
      await fallback.close();
    },
  };
}

/** The definition a signal is judged with inline: its free judge only (the LLM part of a cascade is queued instead). */
export function inlineDefinition(def: SignalDefinition): SignalDefinition {
  const learned = def.judge === 'learned' || def.judge === 'learned-then-llm';
  return { ...def, judge: learned ? 'learned' : 'rules' };
}

/** A signal to judge live: its id and version, its definition, and the targets (indexes) it judges. */
export interface LiveAssignment {
  signalId: string;
  version: number;
  definition: SignalDefinition;
  targets: number[];
}

/** A verdict to store, or (verdict `null`) an LLM job to queue, for target `target` of one assignment. */
export interface LiveOutcome {
  target: number;
  verdict: Verdict | null;
}

/** What live judging found for one assignment: outcomes in target order, and targets left out as unreadable. */
export interface LiveJudged {
  outcomes: LiveOutcome[];
  unreadable: number;
}

const inlineDefinitions = new WeakMap<SignalDefinition, SignalDefinition>();

/**
 * Live judging (ingest, settling) of `targets` for several signals at once, in one inline judging call so each
 * target is sent and analyzed once whatever the number of signals. Per assignment: targets outside the sample or
 * the filter get nothing, targets with no readable message are counted; `llm` signals, undecided rules of
 * `rules-then-llm` and unsure models of `learned-then-llm` get an LLM job (verdict `null`), so ingest never
 * waits on an LLM.
 */
export async function judgeLive(
  inline: InlineJudge,
  ports: Pick<ServicePorts, 'matches'>,
  targets: Target[],
  assignments: LiveAssignment[],
  reports: number[] = [],
  options: InlineJudgeOptions = {},
): Promise<{ judged: LiveJudged[]; reports: SignalReport[] }> {
  const readable = new Map<number, boolean>();
  const out: LiveJudged[] = [];
  const work: InlineWork[] = [];
  const workOf: (InlineWork | null)[] = [];
  const slice = slicer();
  for (const a of assignments) {
    const def = a.definition;
    const judged: LiveJudged = { outcomes: [], unreadable: 0 };
    const kept: number[] = [];
    for (const i of a.targets) {
      await slice.tick();
      const t = targets[i];
      if (!(await keep(def.scope, t.id, def.sample_rate))) continue;
      if (!ports.matches(t, def)) continue;
      let ok = readable.get(i);
      if (ok === undefined) readable.set(i, (ok = hasReadableMessage(t)));
      if (!ok) {
        judged.unreadable++;
        continue;
      }
      if (def.judge === 'llm') judged.outcomes.push({ target: i, verdict: null });
      else kept.push(i);
    }
    out.push(judged);
    if (kept.length === 0) {
      workOf.push(null);
      continue;
    }
    let definition = inlineDefinitions.get(def);
    if (definition === undefined) inlineDefinitions.set(def, (definition = inlineDefinition(def)));
    const w: InlineWork = { key: `${a.signalId}@${a.version}`, definition, targets: kept };
    work.push(w);
    workOf.push(w);
  }
  const inlined = work.length === 0 && reports.length === 0 ? { verdicts: [], reports: [] } : await inline.judge(targets, work, reports, options);
  const verdicts = inlined.verdicts;
  assignments.forEach((a, n) => {
    const w = workOf[n];
    if (w === null) return;
    const got = verdicts[work.indexOf(w)];
    const judged = out[n];
    w.targets.forEach((i, k) => {
      let verdict: Verdict | null = got[k];
      if (verdict.status === 'undecided' && a.definition.judge === 'rules-then-llm') verdict = null;
      else if (a.definition.judge === 'learned-then-llm' && !learnedStands(verdict, a.definition)) verdict = null;
      judged.outcomes.push({ target: i, verdict });
    });
  });
  return { judged: out, reports: inlined.reports };
}
