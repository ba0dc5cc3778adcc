import { createAnalyzer, type Analyzer } from '../core/incremental.js';
import type { Message, SignalReport } from '../core/types.js';
import type { Target } from '../custom/types.js';

/**
 * Built-in reports of live targets from one incremental analyzer per conversation. Chat instrumentations send a
 * span's whole history with every call, so span-scope judging (a learned model reading the built-in counts, rules
 * on built-in signals) analyzed the whole history again for each span: O(history) a span. Here a span whose
 * messages continue what its conversation's analyzer has seen appends only its new messages. The report is
 * always what `analyze(target.messages)` gives: the messages of the conversation's last target are compared with
 * the start of the new one's (the same strings in one task: a pointer comparison each), and on any difference the
 * analysis starts over. A target that never needs its report costs nothing. Least recently used conversations go
 * first past `maxConversations`.
 */
export class ConversationReports {
  private readonly held = new Map<string, { analyzer: Analyzer; rows: readonly Message[] }>();

  constructor(private readonly maxConversations = 1_000) {}

  /** The report of `messages`, the rows of conversation `key` so far (`analyze(messages)`). */
  report(key: string, messages: readonly Message[]): SignalReport {
    let held = this.held.get(key);
    if (held !== undefined) this.held.delete(key);
    if (held === undefined || !continues(held.rows, messages)) held = { analyzer: createAnalyzer(), rows: [] };
    held.analyzer.append(messages.slice(held.rows.length));
    held.rows = messages;
    this.held.set(key, held);
    if (this.held.size > this.maxConversations) this.held.delete(this.held.keys().next().value!);
    return held.analyzer.report();
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

/** The conversation a target's messages belong to, per kind: its session, else its trace, else itself. */
function conversationKey(target: Target): string {
  const conversation = target.meta.sessionId ?? target.meta.traceId ?? `#${target.id}`;
  return `${target.kind}\u0000${target.agent}\u0000${conversation}`;
}

/** Whether `next` starts with the rows of `seen`. */
function continues(seen: readonly Message[], next: readonly Message[]): boolean {
  if (next.length < seen.length) return false;
  for (let i = 0; i < seen.length; i++) if (seen[i].from !== next[i].from || seen[i].value !== next[i].value) return false;
  return true;
}
