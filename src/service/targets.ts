import type { Message } from '../core/types.js';
import type { Target, TargetKind } from '../custom/types.js';
import { openAIToMessages } from '../formats/openai.js';
import type { SpanRow } from '../store/traffic.js';

/**
 * One conversation from spans in start order. LLM spans usually resend the whole history, so a span whose
 * messages start with the conversation so far adds only its tail; a span already contained at the start adds
 * nothing; any other span adds all of its messages. Each comparison walks the shorter list once (linear).
 */
export function mergeChats(lists: unknown[][]): unknown[] {
  const out: unknown[] = [];
  const keys: string[] = [];
  for (const list of lists) {
    const listKeys = list.map((m) => JSON.stringify(m));
    const n = Math.min(keys.length, listKeys.length);
    let same = 0;
    while (same < n && keys[same] === listKeys[same]) same++;
    if (same === listKeys.length) continue;
    const from = same === keys.length ? same : 0;
    for (let i = from; i < list.length; i++) {
      out.push(list[i]);
      keys.push(listKeys[i]);
    }
  }
  return out;
}

/** Chat messages → core rows; a message the converter rejects becomes nothing rather than failing the target. */
export function toRows(chat: unknown[]): Message[] {
  try {
    return openAIToMessages(chat);
  } catch {
    return chat.flatMap((m) => {
      try {
        return openAIToMessages([m]);
      } catch {
        return [];
      }
    });
  }
}

/** A label target from its stored spans (one span for span scope; all spans of the trace or session otherwise). */
export function targetFromSpans(kind: TargetKind, id: string, rows: SpanRow[], revision: number): Target {
  const root = rows.find((r) => r.parentSpanId === '') ?? rows[0];
  const chats = rows.filter((r) => r.messageCount > 0).map((r) => r.messages as unknown[]);
  const model = rows.find((r) => r.model !== null)?.model ?? null;
  let start = rows[0]?.startNs ?? '0';
  let end = rows[0]?.endNs ?? '0';
  for (const r of rows) {
    if (BigInt(r.startNs) < BigInt(start)) start = r.startNs;
    if (BigInt(r.endNs) > BigInt(end)) end = r.endNs;
  }
  return {
    kind,
    id,
    agent: root?.agent ?? 'unknown',
    messages: toRows(kind === 'span' ? chats[0] ?? [] : mergeChats(chats)),
    meta: {
      spanName: root?.name,
      model,
      sessionId: rows.find((r) => r.sessionId !== null)?.sessionId ?? null,
      traceId: kind === 'session' ? undefined : root?.traceId,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      revision: String(revision),
      spans: rows.length,
    },
  };
}
