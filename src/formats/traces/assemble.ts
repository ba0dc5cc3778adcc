import type { CapturedSpan } from '../captured-span.js';
import type { Conversation } from '../conversation.js';
import { openAIToMessages } from '../openai.js';
import type { Message } from '../../core/types.js';
import { isJsonObject } from '../json-value.js';
import { HistoryMerger, placeToolRuns, type ToolRun } from './merge-history.js';

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

function nanos(text: string): bigint {
  return /^[0-9]+$/.test(text) ? BigInt(text) : 0n;
}

function compareStart(a: CapturedSpan, b: CapturedSpan): number {
  const x = nanos(a.startTimeUnixNano);
  const y = nanos(b.startTimeUnixNano);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * LLM calls in causal order: by start time; calls that start together by the length of the history they carry
 * (a later call repeats the earlier one's messages), then by end; never by span id or arrival order. The last
 * resort compares the messages themselves, so equal calls are interchangeable.
 */
function compareCalls(a: CapturedSpan, b: CapturedSpan): number {
  return (
    compareStart(a, b) ||
    a.messages.length - b.messages.length ||
    compareText(a.endTimeUnixNano.padStart(24, '0'), b.endTimeUnixNano.padStart(24, '0')) ||
    compareText(JSON.stringify(a.messages), JSON.stringify(b.messages))
  );
}

/** The rows of one message and, per row, the tool call id it carries (a call's id, or the id a result answers). */
interface MessageRows {
  rows: Message[];
  callIds: string[];
}

function messageRows(message: CapturedSpan['messages'][number]): MessageRows {
  const rows = openAIToMessages([message]);
  const calls = isJsonObject(message) && Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const callIds: string[] = [];
  let call = 0;
  for (const row of rows) {
    if (row.from === 'function_call') {
      const listed = calls[call++];
      callIds.push(isJsonObject(listed) && typeof listed.id === 'string' ? listed.id : '');
    } else if (row.from === 'observation') callIds.push(typeof message.tool_call_id === 'string' ? message.tool_call_id : '');
    else callIds.push('');
  }
  return { rows, callIds };
}

/**
 * A span's rows and their tool call ids. `seen` holds the rows of each message object already converted in this
 * assembly: spans read from the store share one parsed object per message of their conversation, and every span
 * repeats the history, so a session converts each message once (and the merger keys each row once) instead of once
 * per span that lists it.
 */
function rowsOf(span: CapturedSpan, seen: Map<object, MessageRows>): MessageRows {
  const rows: Message[] = [];
  const callIds: string[] = [];
  for (const message of span.messages) {
    let converted = typeof message === 'object' && message !== null ? seen.get(message) : undefined;
    if (converted === undefined) {
      converted = messageRows(message);
      if (typeof message === 'object' && message !== null) seen.set(message, converted);
    }
    for (let i = 0; i < converted.rows.length; i++) {
      rows.push(converted.rows[i]);
      callIds.push(converted.callIds[i]);
    }
  }
  return { rows, callIds };
}

/** The spans on the parent chain of `span` that are in `byKey`, nearest first. */
function ancestorsOf(byKey: Map<string, CapturedSpan>, span: CapturedSpan): CapturedSpan[] {
  const chain: CapturedSpan[] = [];
  const seen = new Set<string>([keyOf(span)]);
  for (let current = span; current.parentSpanId !== ''; ) {
    const key = `${current.traceId}/${current.parentSpanId}`;
    const parent = byKey.get(key);
    if (parent === undefined || seen.has(key)) break;
    seen.add(key);
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/** Index of the last call (sorted by start) that starts no later than `span`, or -1. */
function lastCallBefore(llm: readonly CapturedSpan[], span: CapturedSpan): number {
  let low = 0;
  let high = llm.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareStart(llm[mid], span) <= 0) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/**
 * The spans of one conversation → its rows. The model calls are merged first, in causal order; tool spans then
 * answer the calls they ran (see {@link placeToolRuns}), so a tool span's timing or wording never duplicates the
 * history. A tool span that answers no call goes after the last model call that precedes it (its parent, else by
 * start; a tie puts the tool after the call).
 */
function conversationRows(llm: readonly CapturedSpan[], tools: readonly CapturedSpan[], byKey: Map<string, CapturedSpan>): Message[] {
  const seen = new Map<object, MessageRows>();
  const ends: number[] = [];
  let history: MessageRows;
  if (llm.length === 1) {
    // One call (a span's own conversation): its rows as they are, which is all the merger would give; keying every
    // row (a tool call's arguments parsed to compare them) is for overlaps with other calls.
    history = rowsOf(llm[0], seen);
    ends.push(history.rows.length);
  } else {
    const merger = new HistoryMerger();
    for (const span of llm) {
      const { rows, callIds } = rowsOf(span, seen);
      merger.addCall(rows, callIds);
      ends.push(merger.rows.length);
    }
    history = { rows: merger.rows, callIds: merger.callIds };
  }
  const position = new Map(llm.map((span, i) => [span, i]));
  const runs: ToolRun[] = [];
  for (const span of tools) {
    const { rows, callIds } = rowsOf(span, seen);
    const call = rows.find((row) => row.from === 'function_call');
    const result = rows.find((row) => row.from === 'observation');
    if (call === undefined || result === undefined) continue;
    const previous = lastCallBefore(llm, span);
    let at = previous === -1 ? 0 : ends[previous];
    for (const ancestor of ancestorsOf(byKey, span)) {
      const index = position.get(ancestor);
      if (index !== undefined) at = Math.max(at, ends[index]);
    }
    runs.push({ call, result, callId: callIds[rows.indexOf(call)] ?? '', at });
  }
  return placeToolRuns(history.rows, history.callIds, runs);
}

/** Unix nanoseconds as decimal text → ISO 8601 (milliseconds), or null when there is no time. */
export function isoTime(nanos: string): string | null {
  if (!/^[0-9]+$/.test(nanos) || nanos === '0') return null;
  return new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString();
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function conversationOf(id: string, spans: CapturedSpan[], sessionId: string | null, byKey: Map<string, CapturedSpan>): Conversation {
  spans.sort((a, b) => compareStart(a, b) || (a.kind === b.kind ? compareCalls(a, b) : a.kind === 'llm' ? -1 : 1));
  const calls = spans.filter((span) => span.kind === 'llm').sort(compareCalls);
  const tools = spans.filter((span) => span.kind === 'tool');
  const messages = conversationRows(calls, tools, byKey);
  const llm = spans.filter((span) => span.kind === 'llm');
  const last = llm[llm.length - 1] ?? spans[spans.length - 1];
  const ends = spans.map((span) => span.endTimeUnixNano).filter((t) => /^[0-9]+$/.test(t));
  const end = ends.reduce((a, b) => (BigInt(a) >= BigInt(b) ? a : b), '0');
  const firstOfTrace = new Map<string, string>();
  for (const span of spans) if (!firstOfTrace.has(span.traceId)) firstOfTrace.set(span.traceId, span.spanId);
  return {
    id,
    messages,
    meta: {
      agent: (llm[0] ?? spans[0]).agent,
      session_id: sessionId,
      trace_id: last.traceId,
      span_id: last.spanId,
      trace_ids: [...firstOfTrace.keys()],
      // The conversation's first span in each of its traces, in the order of trace_ids: what an analysis span of the
      // conversation hangs under (in the same trace) and links to (the others).
      root_span_ids: [...firstOfTrace.values()],
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
  const byKey = new Map(spans.map((span) => [keyOf(span), span]));
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
  return [...groups].map(([id, members]) => conversationOf(id, members, sessions.get(members[0].traceId) ?? null, byKey));
}
