import { createAnalyzer, type Analyzer } from '../core/incremental.js';
import type { Message, SignalReport } from '../core/types.js';
import type { Target } from '../custom/types.js';

/** One line of analysis of a conversation: its analyzer, the rows it read, and its latest reports by row count. */
interface Branch {
  analyzer: Analyzer;
  rows: readonly Message[];
  /** The reports of the last few prefixes asked for (row count, report), oldest first. */
  reports: [rows: number, report: SignalReport][];
}

/**
 * Built-in reports of live targets from incremental analyzers kept per conversation. Chat instrumentations send a
 * span's whole history with every call, so span-scope judging (a learned model reading the built-in counts, rules
 * on built-in signals) analyzed the whole history again for each span: O(history) a span. Here a target whose
 * messages continue what one of its conversation's analyzers has read appends only its new messages. Spans, their
 * trace and their session share a conversation (its session, else its trace): a session settling after its last
 * span continues that span's analysis, and a trace settling after the next trace's spans were judged (a prefix of
 * what the analyzer read) takes the report kept for that prefix when a span ended there. A conversation keeps up to
 * `branches` analyzers (a trace's messages may differ from its spans'), each with its last `kept` reports.
 *
 * The report is always what `analyze(target.messages)` gives: rows are compared with what an analyzer read (the same
 * strings in one task: a pointer comparison each), a prefix's report is reused only when the target's rows are
 * exactly that prefix, and a target nothing continues starts an analyzer of its own. A target that never needs its
 * report costs nothing. Least recently used conversations go first past `maxConversations`.
 */
export class ConversationReports {
  private readonly held = new Map<string, Branch[]>();

  constructor(
    private readonly maxConversations = 1_000,
    private readonly branches = 2,
    private readonly kept = 4,
  ) {}

  /** The report of `messages`, the rows of conversation `key` so far (`analyze(messages)`). */
  report(key: string, messages: readonly Message[]): SignalReport {
    let list = this.held.get(key);
    if (list !== undefined) this.held.delete(key);
    else list = [];
    this.held.set(key, list);
    if (this.held.size > this.maxConversations) this.held.delete(this.held.keys().next().value!);
    // The branch that has read the longest prefix of these rows, or one that has read them (or past them) with their
    // report kept.
    let best: Branch | undefined;
    for (const b of list) {
      const read = b.rows.length;
      if (read > messages.length || (read === messages.length && b.reports.at(-1)?.[0] === read)) {
        if (!samePrefix(b.rows, messages, messages.length)) continue;
        const kept = b.reports.find(([rows]) => rows === messages.length);
        if (kept !== undefined) {
          touch(list, b);
          return kept[1];
        }
        if (read === messages.length) best = b;
      } else if ((best === undefined || read > best.rows.length) && samePrefix(b.rows, messages, read)) best = b;
    }
    if (best === undefined) {
      best = { analyzer: createAnalyzer(), rows: [], reports: [] };
      list.push(best);
      if (list.length > this.branches) list.shift();
    }
    touch(list, best);
    best.analyzer.append(messages.slice(best.rows.length));
    best.rows = messages;
    const report = best.analyzer.report();
    best.reports.push([messages.length, report]);
    if (best.reports.length > this.kept) best.reports.shift();
    return report;
  }

  /** Gives `target` a report computed when first read (unless it carries one). */
  attach(target: Target): Target {
    if (target.report !== undefined) return target;
    const key = conversationKey(target);
    let report: SignalReport | undefined;
    // An accessor, so `reportOf(target)` (which reads `target.report` first) asks the cache only when a judge reads it.
    Object.defineProperty(target, 'report', {
      configurable: true,
      enumerable: true,
      get: () => (report ??= this.report(key, target.messages)),
      set: (value: SignalReport | undefined) => {
        report = value;
      },
    });
    return target;
  }
}

/** The conversation a target's messages belong to: its session, else its trace, else the target alone (any scope). */
function conversationKey(target: Target): string {
  const conversation = target.meta.sessionId ?? target.meta.traceId;
  return conversation === undefined || conversation === null ? `t\u0000${target.kind}\u0000${target.agent}\u0000${target.id}` : `c\u0000${target.agent}\u0000${conversation}`;
}

/** Whether the first `n` rows of `a` and `b` are the same. */
function samePrefix(a: readonly Message[], b: readonly Message[], n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i].from !== b[i].from || a[i].value !== b[i].value) return false;
  return true;
}

/** Moves `branch` to the end of `list` (most recently used last; the first goes when a new branch needs room). */
function touch(list: Branch[], branch: Branch): void {
  const at = list.indexOf(branch);
  if (at !== list.length - 1) {
    list.splice(at, 1);
    list.push(branch);
  }
}
