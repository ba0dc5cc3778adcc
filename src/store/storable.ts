// What every store can keep, so the same input gives the same rows on SQLite, D1 and PostgreSQL: PostgreSQL text
// cannot hold a NUL (libsql reads a text back only up to one) and PostgreSQL refuses long index entries.
import type { CapturedSpan } from '../formats/captured-span.js';
import { messageHash } from './message-hash.js';

/** A text as every store keeps it: each NUL as U+FFFD. */
export function storableText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\ufffd') : text;
}

/** A span's ids: stored as keys, in indexes. */
const ID_FIELDS = ['traceId', 'spanId', 'parentSpanId', 'agent', 'service', 'sessionId'] as const;
/** Its other texts stored as they came (messages are stored as JSON, where a NUL is escaped). */
const NAME_FIELDS = ['name', 'model'] as const;
/**
 * The longest id stored as it came. PostgreSQL refuses an index entry past ~2,700 bytes (and with it the whole
 * export), and a key of three ids of 200 characters stays below that in any script; Langfuse caps session ids at 200.
 */
const MAX_ID_CHARS = 200;

/** An id as every store keeps it: a NUL as U+FFFD, one past 200 characters as its start, `…` and a hash of the whole. */
export function storableId(id: string): string {
  const text = storableText(id);
  if (text.length <= MAX_ID_CHARS) return text;
  let end = MAX_ID_CHARS - 17;
  // Never cut a surrogate pair in two.
  if (/[\ud800-\udbff]/.test(text[end - 1])) end -= 1;
  return `${text.slice(0, end)}…${messageHash(text)}`;
}

/**
 * The spans as every store can keep them, so the same export gives the same rows on SQLite, D1 and PostgreSQL (whose
 * text cannot hold a NUL, and whose indexes refuse long keys: the whole export failed there): ids by `storableId`,
 * a NUL in a name or model as U+FFFD.
 */
export function storableSpans(spans: CapturedSpan[]): CapturedSpan[] {
  const odd = (s: CapturedSpan) =>
    ID_FIELDS.some((f) => s[f] != null && (s[f].length > MAX_ID_CHARS || s[f].includes('\0'))) || NAME_FIELDS.some((f) => s[f]?.includes('\0') === true);
  if (!spans.some(odd)) return spans;
  return spans.map((s) => {
    if (!odd(s)) return s;
    const clean: Record<string, unknown> = { ...s };
    for (const f of ID_FIELDS) if (s[f] != null) clean[f] = storableId(s[f]);
    for (const f of NAME_FIELDS) if (s[f] != null) clean[f] = storableText(s[f]);
    return clean as unknown as CapturedSpan;
  });
}
