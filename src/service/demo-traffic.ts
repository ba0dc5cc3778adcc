import type { Message } from '../core/types.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import type { JsonObject } from '../formats/json-value.js';

/** How one conversation is laid out as traffic. */
export interface TrafficLayout {
  agent: string;
  sessionId: string;
  /** Start of the first turn, Unix ms. */
  startMs: number;
  /** Time between turns (default 45 s). */
  turnMs?: number;
  /** Prefix of the trace ids (hex), unique per conversation. */
  traceIdPrefix: string;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

function toChat(rows: readonly Message[]): JsonObject[] {
  const out: JsonObject[] = [];
  let call = 0;
  for (const row of rows) {
    if (row.from === 'human') out.push({ role: 'user', content: row.value });
    else if (row.from === 'gpt') out.push({ role: 'assistant', content: row.value });
    else if (row.from === 'system') out.push({ role: 'system', content: row.value });
    else if (row.from === 'function_call') {
      let parsed: { name?: unknown; arguments?: unknown } = {};
      try {
        parsed = JSON.parse(row.value) as typeof parsed;
      } catch {
        parsed = { name: 'tool', arguments: row.value };
      }
      const args = typeof parsed.arguments === 'string' ? parsed.arguments : JSON.stringify(parsed.arguments ?? {});
      out.push({ role: 'assistant', content: null, tool_calls: [{ id: `call_${++call}`, type: 'function', function: { name: String(parsed.name ?? 'tool'), arguments: args } }] });
    } else if (row.from === 'observation') out.push({ role: 'tool', tool_call_id: `call_${call}`, content: row.value });
  }
  return out;
}

/**
 * A ShareGPT conversation as an agent's traffic: one trace per user turn (a root agent span and one LLM span
 * whose input is the history so far, as instrumented chat clients send it), turns `turnMs` apart, all in one
 * session. Used by `npm run demo` and the ingest benchmark.
 */
export function conversationToSpans(rows: readonly Message[], layout: TrafficLayout): CapturedSpan[] {
  const turnMs = layout.turnMs ?? 45_000;
  const turns: number[] = [];
  rows.forEach((r, i) => {
    if (r.from === 'human') turns.push(i);
  });
  if (turns.length === 0) turns.push(0);
  const spans: CapturedSpan[] = [];
  turns.forEach((_, t) => {
    const end = t + 1 < turns.length ? turns[t + 1] : rows.length;
    const at = layout.startMs + t * turnMs;
    const traceId = `${layout.traceIdPrefix}${hex(t, 32 - layout.traceIdPrefix.length)}`;
    const rootId = `${traceId.slice(0, 12)}0001`;
    const base = { traceId, agent: layout.agent, sessionId: layout.sessionId, convention: 'genai-semconv' as const, model: 'demo-model', unreadable: false };
    spans.push({ ...base, spanId: rootId, parentSpanId: '', name: `invoke_agent ${layout.agent}`, kind: 'other', startTimeUnixNano: ns(at), endTimeUnixNano: ns(at + 4000), model: null, messages: [] });
    spans.push({
      ...base,
      spanId: `${traceId.slice(0, 12)}0002`,
      parentSpanId: rootId,
      name: 'chat demo-model',
      kind: 'llm',
      startTimeUnixNano: ns(at + 200),
      endTimeUnixNano: ns(at + 3800),
      messages: toChat(rows.slice(0, end)),
    });
  });
  return spans;
}
