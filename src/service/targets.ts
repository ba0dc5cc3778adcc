import type { Target, TargetKind } from '../custom/types.js';
import { assembleConversations } from '../formats/traces/assemble.js';
import { capturedOf, type SpanRow } from '../store/traffic.js';

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
