import type { Target, TargetKind } from '../custom/types.js';
import type { CapturedSpan, SpanConvention } from '../formats/captured-span.js';
import { assembleConversations } from '../formats/traces/assemble.js';
import type { SpanRow } from '../store/traffic.js';

/** A stored span row back as the span reader produced it. */
export function capturedOf(r: SpanRow): CapturedSpan {
  return {
    traceId: r.traceId,
    spanId: r.spanId,
    parentSpanId: r.parentSpanId,
    name: r.name,
    agent: r.agent,
    ...(r.agentFallback ? { agentFallback: true } : {}),
    sessionId: r.sessionId,
    convention: r.convention as SpanConvention,
    kind: r.kind,
    startTimeUnixNano: r.startNs,
    endTimeUnixNano: r.endNs,
    model: r.model,
    messages: r.messages as CapturedSpan['messages'],
    unreadable: r.unreadable,
  };
}

/**
 * A label target from its stored spans (one span for span scope; every span of the trace or session otherwise),
 * its conversation assembled by the formats' `assembleConversations` (history merged, tool runs in order).
 */
export function targetFromSpans(kind: TargetKind, id: string, rows: SpanRow[], revision: number): Target {
  const spans = rows.map(capturedOf);
  // Every span here belongs to the target; a session's traces merge into one history.
  const conversation = assembleConversations(spans, kind).reduce<Target['messages']>(
    (all, c) => all.concat(c.messages),
    [],
  );
  const root = spans.find((s) => s.parentSpanId === '') ?? spans[0];
  const model = spans.find((s) => s.model !== null)?.model ?? null;
  let first = rows[0];
  let last = rows[0];
  for (const r of rows) {
    if (r.startMs < first.startMs) first = r;
    if (r.endMs > last.endMs) last = r;
  }
  return {
    kind,
    id,
    agent: root?.agent ?? 'unknown',
    messages: conversation,
    meta: {
      spanName: root?.name,
      model,
      sessionId: spans.find((s) => s.sessionId !== null)?.sessionId ?? null,
      traceId: kind === 'session' ? undefined : root?.traceId,
      startTimeUnixNano: first?.startNs,
      endTimeUnixNano: last?.endNs,
      revision: String(revision),
      spans: rows.length,
    },
  };
}
