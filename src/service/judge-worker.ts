import type { SignalDefinition } from '../custom/definition.js';
import type { SignalReport } from '../core/types.js';
import { judge } from '../custom/judge.js';
import { reportOf } from '../custom/rules/features.js';
import type { Target, Verdict } from '../custom/types.js';
import { ConversationReports } from './conversation-reports.js';
import { announceThreadLoaded } from './pool-threads.js';

/** A target as a task carries it: each message's text is an index into the task's `texts`. */
export type PackedTarget = Omit<Target, 'messages'> & { messages: (Omit<Target['messages'][number], 'value'> & { value: number })[] };

/**
 * One task of the judge pool: targets and, per signal, the key of its inline definition and the targets it judges.
 * Each distinct message text travels once (`texts`): the spans of one conversation repeat its history, so a task of
 * 32 of them carried the same messages up to 32 times, copied on the main thread.
 */
export interface JudgeTask {
  targets: PackedTarget[];
  texts: string[];
  work: { key: string; targets: number[] }[];
  /** Targets whose built-in report (the core analysis) is wanted back. */
  reports?: number[];
  /** Definitions by key, sent only after this thread answered that it lacks them. */
  definitions?: Record<string, SignalDefinition>;
}

/** The verdicts of a task (`verdicts[w][k]` for `work[w].targets[k]`) and the reports asked for, or the definition keys this thread lacks. */
export type JudgeTaskResult = { verdicts: Verdict[][]; reports: SignalReport[] } | { missing: string[] };

/** Definitions kept per thread; a version never changes, so a key names one definition for good. */
const KEPT = 500;
const definitions = new Map<string, SignalDefinition>();
/** This thread's analyzers, one per conversation: a span whose history was analyzed before costs its new messages. */
const analyses = new ConversationReports();

/**
 * Piscina task of the service's judge pool: judges targets with rules and learned definitions (never an LLM). Each
 * thread keeps the definitions it was sent by key, so compiled rules, their per-message memo, loaded models and the
 * learned judge's per-message features live as long as the definition version and serve every later task.
 */
export default async function judgeTask(task: JudgeTask): Promise<JudgeTaskResult> {
  for (const [key, definition] of Object.entries(task.definitions ?? {})) {
    if (definitions.size >= KEPT) definitions.clear();
    definitions.set(key, definition);
  }
  const missing = task.work.map((w) => w.key).filter((key) => !definitions.has(key));
  if (missing.length > 0) return { missing };
  // One string per distinct text, shared by every target holding it (memo lookups hash it once).
  const targets: Target[] = task.targets.map((t) => analyses.attach({ ...t, messages: t.messages.map((m) => ({ ...m, value: task.texts[m.value] })) }));
  const verdicts: Verdict[][] = [];
  for (const w of task.work) {
    const definition = definitions.get(w.key)!;
    if (definition.judge !== 'rules' && definition.judge !== 'learned') throw new Error(`inline judging runs rules and learned definitions only, not ${definition.judge}`);
    const out: Verdict[] = [];
    for (const i of w.targets) out.push(await judge(targets[i], definition));
    verdicts.push(out);
  }
  // The judges above computed most of these already (kept on the target): the summary reads the same report.
  return { verdicts, reports: (task.reports ?? []).map((i) => reportOf(targets[i])) };
}

announceThreadLoaded();
