import { AnalyzerCache } from '../core/analyzer-cache.js';
import type { SignalReport } from '../core/types.js';
import type { Target } from '../custom/types.js';

/**
 * Built-in reports of live targets from one incremental analyzer per conversation. Chat instrumentations send a
 * span's whole history with every call, so span-scope judging (a learned model reading the built-in counts, rules
 * on built-in signals) analyzed the whole history again for each span: O(history) a span. Here a span whose
 * messages continue what its conversation's analyzer has seen appends only its new messages. The report is
 * always what `analyze(target.messages)` gives (the cache compares the rows it holds with the start of the
 * target's and starts over on any difference); a target that never needs its report costs nothing.
 */
export class ConversationReports {
  private readonly cache: AnalyzerCache;

  constructor(maxConversations = 1_000) {
    this.cache = new AnalyzerCache(undefined, { maxConversations });
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
      get: () => (report ??= this.cache.report(key, target.messages)),
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
