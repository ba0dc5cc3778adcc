import type { CapturedSpan } from '../captured-span.js';

/** What resolving an agent reads of a span: where it sits and the agent it has. */
export type AgentLink = Pick<CapturedSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'agent' | 'agentFallback'>;

/** Map key of a span within its trace. */
const keyOf = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

/**
 * The agent of each span with a fallback agent (`agentFallback`: its export named none for it), taken from its
 * nearest ancestor among `spans` whose agent is named: an LLM span exported before the agent span around it
 * (a simple span processor ends and sends children first) gets the agent the later export names. Spans without
 * such an ancestor keep their fallback. Linear: each ancestor chain is walked once (memoized), cycles stop.
 */
export function resolveAgents<T extends AgentLink>(spans: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const span of spans) byKey.set(keyOf(span.traceId, span.spanId), span);
  const memo = new Map<string, string | undefined>();
  const namedAbove = (span: T): string | undefined => {
    const chain: string[] = [];
    let found: string | undefined;
    let parent = span.parentSpanId === '' ? undefined : keyOf(span.traceId, span.parentSpanId);
    const seen = new Set<string>();
    while (parent !== undefined && !seen.has(parent)) {
      if (memo.has(parent)) {
        found = memo.get(parent);
        break;
      }
      seen.add(parent);
      chain.push(parent);
      const above = byKey.get(parent);
      if (above === undefined) break;
      if (above.agentFallback !== true) {
        found = above.agent;
        break;
      }
      parent = above.parentSpanId === '' ? undefined : keyOf(above.traceId, above.parentSpanId);
    }
    for (const link of chain) if (!memo.has(link)) memo.set(link, found);
    return found;
  };
  return spans.map((span) => {
    if (span.agentFallback !== true) return span;
    const agent = namedAbove(span);
    if (agent === undefined) return span;
    const { agentFallback: _, ...rest } = span;
    return { ...rest, agent } as T;
  });
}
