import type { CapturedSpan } from '../captured-span.js';
import type { Conversation } from '../conversation.js';
import { openAIToMessages } from '../openai.js';
import { HistoryMerger } from './merge-history.js';

/** The unit one report covers: one LLM call, one trace, or one session (the trace when a span has no session id). */
export type GroupBy = 'span' | 'trace' | 'session';

/** Every accepted group value, in help order. */
export const GROUP_NAMES: readonly GroupBy[] = ['span', 'trace', 'session'];

/** True when `name` is one of GROUP_NAMES. */
export function isGroupBy(name: string): name is GroupBy {
  return (GROUP_NAMES as readonly string[]).includes(name);
}

const keyOf = (span: CapturedSpan): string => `${span.traceId}/${span.spanId}`;
const hasMessages = (span: CapturedSpan): boolean => span.kind !== 'other' && span.messages.length > 0 && !span.unreadable;

/**
 * Spans whose messages a descendant span already carries in more detail (the AI SDK's outer `ai.generateText`
 * around its `doGenerate` calls, a Langfuse agent around its generations): they would repeat the conversation.
 */
function coveredSpans(spans: readonly CapturedSpan[]): Set<string> {
  const parentOf = new Map(spans.map((span) => [keyOf(span), span.parentSpanId === '' ? undefined : `${span.traceId}/${span.parentSpanId}`]));
  const covered = new Set<string>();
  for (const span of spans) {
    // Only a model call covers its ancestors: a tool run nested under an LLM span adds to it, it does not replace it.
    if (!hasMessages(span) || span.kind !== 'llm') continue;
    let parent = parentOf.get(keyOf(span));
    while (parent !== undefined && !covered.has(parent)) {
      covered.add(parent);
      parent = parentOf.get(parent);
    }
  }
  return covered;
}

/** The session of each trace: the first session id any of its spans carries (often only the root span has it). */
function sessionsOfTraces(spans: readonly CapturedSpan[]): Map<string, string> {
  const sessions = new Map<string, string>();
  for (const span of spans) if (span.sessionId !== null && !sessions.has(span.traceId)) sessions.set(span.traceId, span.sessionId);
  return sessions;
}

function compareStart(a: CapturedSpan, b: CapturedSpan): number {
  const x = BigInt(/^[0-9]+$/.test(a.startTimeUnixNano) ? a.startTimeUnixNano : '0');
  const y = BigInt(/^[0-9]+$/.test(b.startTimeUnixNano) ? b.startTimeUnixNano : '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Unix nanoseconds as decimal text → ISO 8601 (milliseconds), or null when there is no time. */
export function isoTime(nanos: string): string | null {
  if (!/^[0-9]+$/.test(nanos) || nanos === '0') return null;
  return new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString();
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function conversationOf(id: string, spans: CapturedSpan[], sessionId: string | null): Conversation {
  spans.sort(compareStart);
  const merger = new HistoryMerger();
  for (const span of spans) {
    const rows = openAIToMessages(span.messages);
    if (span.kind === 'tool') merger.addToolRun(rows);
    else merger.addCall(rows);
  }
  const llm = spans.filter((span) => span.kind === 'llm');
  const last = llm[llm.length - 1] ?? spans[spans.length - 1];
  const ends = spans.map((span) => span.endTimeUnixNano).filter((t) => /^[0-9]+$/.test(t));
  const end = ends.reduce((a, b) => (BigInt(a) >= BigInt(b) ? a : b), '0');
  return {
    id,
    messages: merger.rows,
    meta: {
      agent: (llm[0] ?? spans[0]).agent,
      session_id: sessionId,
      trace_id: last.traceId,
      span_id: last.spanId,
      trace_ids: unique(spans.map((span) => span.traceId)),
      span_ids: spans.map((span) => span.spanId),
      start_time: isoTime(spans[0].startTimeUnixNano),
      end_time: isoTime(end),
      llm_calls: llm.length,
      tool_calls: spans.length - llm.length,
      conventions: unique(spans.map((span) => span.convention)),
    },
  };
}

/**
 * Captured spans (of one export or gathered from many) → conversations, one per group, in order of first
 * appearance. Within a group, spans are taken by start time; LLM calls are merged without repeating the history
 * and tool spans become tool calls and results in order, whatever mix of conventions the spans use. Unreadable
 * spans and spans covered by more detailed descendants are skipped. `meta` carries agent, session id, trace and
 * span ids, times and counts.
 */
export function assembleConversations(spans: readonly CapturedSpan[], group: GroupBy = 'session'): Conversation[] {
  const covered = coveredSpans(spans);
  const sessions = sessionsOfTraces(spans);
  const groups = new Map<string, CapturedSpan[]>();
  for (const span of spans) {
    if (!hasMessages(span) || covered.has(keyOf(span))) continue;
    if (group === 'span' && span.kind !== 'llm') continue;
    const key = group === 'span' ? span.spanId : group === 'trace' ? span.traceId : sessions.get(span.traceId) ?? span.traceId;
    const members = groups.get(key) ?? [];
    members.push(span);
    groups.set(key, members);
  }
  return [...groups].map(([id, members]) => conversationOf(id, members, sessions.get(members[0].traceId) ?? null));
}
