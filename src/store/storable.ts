// What every store can keep, so the same input gives the same rows on SQLite, D1 and PostgreSQL: PostgreSQL text
// cannot hold a NUL (libsql reads a text back only up to one) and PostgreSQL refuses long index entries.
import { agentName } from '../formats/agent-name.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { messageHash } from './message-hash.js';

/** A text as every store keeps it: each NUL as U+FFFD. */
export function storableText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\ufffd') : text;
}

/** A span's ids: stored as keys, in indexes. */
const ID_FIELDS = ['traceId', 'spanId', 'parentSpanId', 'sessionId'] as const;
/** Its names of an agent (the service's is the fallback agent): ids too, in the one form {@link storableAgent} gives. */
const AGENT_FIELDS = ['agent', 'service'] as const;
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
 * An agent's (or a service's) name as every store keeps it: in the one form `agentName` gives (no invisible
 * characters, no odd white space, NFKC: no full-width or other compatibility characters), so names that look alike
 * are one agent, `"unknown"` when nothing visible is left, then as {@link storableId}.
 */
export function storableAgent(name: string): string {
  return storableId(agentName(name) || 'unknown');
}

/**
 * The spans as every store can keep them, so the same export gives the same rows on SQLite, D1 and PostgreSQL (whose
 * text cannot hold a NUL, and whose indexes refuse long keys: the whole export failed there): ids by `storableId`,
 * agent and service names by {@link storableAgent}, a NUL in a name or model as U+FFFD. `renamed` counts the spans
 * that named their agent or service other than in its one form (`agentName`): counted, not refused.
 */
export function storableSpans(input: CapturedSpan[]): { spans: CapturedSpan[]; renamed: number } {
  // An export names a handful of agents over many spans: each name is read once.
  const agents = new Map<string, { form: string; stored: string }>();
  const agentOf = (name: string) => {
    let known = agents.get(name);
    if (known === undefined) agents.set(name, (known = { form: agentName(name), stored: storableAgent(name) }));
    return known;
  };
  const renamed = input.filter((s) => AGENT_FIELDS.some((f) => s[f] != null && agentOf(s[f]).form !== s[f])).length;
  const odd = (s: CapturedSpan) =>
    ID_FIELDS.some((f) => s[f] != null && (s[f].length > MAX_ID_CHARS || s[f].includes('\0'))) ||
    AGENT_FIELDS.some((f) => s[f] != null && s[f] !== agentOf(s[f]).stored) ||
    NAME_FIELDS.some((f) => s[f]?.includes('\0') === true);
  if (!input.some(odd)) return { spans: input, renamed };
  const spans = input.map((s) => {
    if (!odd(s)) return s;
    const clean: Record<string, unknown> = { ...s };
    for (const f of ID_FIELDS) if (s[f] != null) clean[f] = storableId(s[f]);
    for (const f of AGENT_FIELDS) if (s[f] != null) clean[f] = agentOf(s[f]).stored;
    for (const f of NAME_FIELDS) if (s[f] != null) clean[f] = storableText(s[f]);
    return clean as unknown as CapturedSpan;
  });
  return { spans, renamed };
}
