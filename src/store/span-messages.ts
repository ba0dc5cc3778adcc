import { and, eq, inArray, sql } from 'drizzle-orm';
import { appendAll } from '../formats/append-all.js';
import { bindOnly, insertIgnoring, jsonRowParts } from './json-insert.js';
import { inList, listParts } from './json-list.js';
import { messageHash } from './message-hash.js';
import { messages, spans } from './schema.js';
import type { Store, StoreStatement } from './types.js';

/** A span as its messages are stored: the JSON list of their hashes and the conversation that holds them. */
export interface SpanContent {
  conversation: string;
  messageRefs: string;
}

/** A distinct message of a conversation, as stored. */
export interface MessageRow {
  agent: string;
  conversation: string;
  hash: string;
  content: string;
}

/** The conversation a span's messages belong to: its session when known, else its trace. */
export function conversationOf(traceId: string, sessionId: string | null): string {
  return sessionId === null ? `t:${traceId}` : `s:${sessionId}`;
}

/** Map key of an (agent, conversation) pair. */
function conversationKey(agent: string, conversation: string): string {
  return `${agent}\0${conversation}`;
}

/** Orders by code unit, the same in every process (no locale). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Collects the messages of spans being stored, each distinct message of a conversation once, and gives every span
 * its list of refs. `rows()` then holds the messages to insert, in key order.
 */
export class MessageCollector {
  /** By `conversationKey`, then by hash. */
  private readonly byConversation = new Map<string, Map<string, MessageRow>>();

  /** The stored form of one span's messages in `conversation` of `agent`. */
  add(agent: string, conversation: string, list: readonly unknown[]): SpanContent {
    const key = conversationKey(agent, conversation);
    let held = this.byConversation.get(key);
    if (held === undefined) this.byConversation.set(key, (held = new Map()));
    const seen = recentSpans.texts(key, list);
    for (let i = 0; i < seen.hashes.length; i++) {
      const hash = seen.hashes[i]!;
      if (!held.has(hash)) held.set(hash, { agent, conversation, hash, content: seen.texts[i]! });
    }
    return { conversation, messageRefs: JSON.stringify(seen.hashes) };
  }

  /** Every distinct message collected, in (agent, conversation, hash) order (row locks in one order on PostgreSQL). */
  rows(): MessageRow[] {
    const out: MessageRow[] = [];
    for (const [, held] of [...this.byConversation].sort(([a], [b]) => byText(a, b))) {
      for (const [, row] of [...held].sort(([a], [b]) => byText(a, b))) out.push(row);
    }
    return out;
  }
}

/** A span's messages with their JSON texts and hashes. */
interface SeenMessages {
  list: readonly unknown[];
  texts: string[];
  hashes: string[];
  chars: number;
}

/**
 * Recent spans' messages of each recent conversation, with their texts and hashes. A chat span repeats the history
 * its conversation's previous chat span carried: the messages it shares with that span (compared as values,
 * `sameJson`) take their texts and hashes from it instead of being serialized and hashed again (the longest part of
 * building an export's statements), so a span costs its new messages plus a comparison of the old ones. A
 * conversation keeps a few lists (tool spans and sub-agents carry other lists than the chat's history), each
 * found by its first message. Spans' messages are values: nothing changes a message after its span was read.
 */
class RecentSpans {
  /** Least recently used conversation first. */
  private readonly byConversation = new Map<string, SeenMessages[]>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** The texts and hashes of `list`, the messages of a span of conversation `key`; remembers them for its next spans. */
  texts(key: string, list: readonly unknown[]): SeenMessages {
    const held = this.byConversation.get(key) ?? [];
    this.byConversation.delete(key);
    const at = list.length === 0 ? -1 : held.findIndex((h) => h.list.length > 0 && sameJson(list[0], h.list[0]));
    const last = at < 0 ? undefined : held[at]!;
    const texts: string[] = new Array<string>(list.length);
    const hashes: string[] = new Array<string>(list.length);
    let chars = 0;
    let i = 0;
    if (last !== undefined) {
      // The first message was compared when the list was found.
      for (; i < list.length && i < last.list.length && (i === 0 || sameJson(list[i], last.list[i])); i++) {
        texts[i] = last.texts[i]!;
        hashes[i] = last.hashes[i]!;
        chars += texts[i]!.length;
      }
    }
    for (let j = i; j < list.length; j++) {
      const text = JSON.stringify(list[j]);
      texts[j] = text;
      hashes[j] = messageHash(text);
      chars += text.length;
    }
    const seen = { list, texts, hashes, chars };
    // A shorter history than the one held (spans are not stored in time order) keeps the longer one.
    const keep = last !== undefined && i === list.length && last.list.length >= i;
    if (!keep && list.length > 0 && chars <= this.maxChars / 8) {
      if (last !== undefined) {
        held.splice(at, 1);
        this.chars -= last.chars;
      }
      held.unshift(seen);
      this.chars += chars;
      while (held.length > RECENT_LISTS) this.chars -= held.pop()!.chars;
    }
    if (held.length > 0) this.byConversation.set(key, held);
    for (const [oldest, lists] of this.byConversation) {
      if (this.chars <= this.maxChars) break;
      this.byConversation.delete(oldest);
      for (const h of lists) this.chars -= h.chars;
    }
    return seen;
  }
}

/** Message lists a conversation keeps in `RecentSpans`. */
const RECENT_LISTS = 4;
/** Characters of message text the process keeps for `RecentSpans` (the parsed messages beside them take about as much). */
const RECENT_SPANS_CHARS = 8_000_000;
const recentSpans = new RecentSpans(RECENT_SPANS_CHARS);

/**
 * Whether `JSON.stringify` certainly writes the same text for `a` as for `b`: equal primitives, or arrays and plain
 * objects of such values with the same keys in the same order. Anything else (functions, class instances, a value
 * compared with itself, whose text may have changed if it was mutated) counts as different, so the caller serializes
 * it. Costs at most the size of `b`, a value the caller serialized before, so it ends on any input.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null) return a === b && typeof a !== 'function' && typeof a !== 'bigint';
  if (typeof b !== 'object' || b === null || a === b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || Object.getPrototypeOf(a) !== Array.prototype || Object.getPrototypeOf(b) !== Array.prototype) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k !== other[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** An object `JSON.stringify` writes member by member: its prototype is Object's or none, and it has no `toJSON`. */
function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return (proto === Object.prototype || proto === null) && !('toJSON' in o);
}

/**
 * The statements inserting the messages not stored yet (one read of which of them the store holds, so history
 * repeated by every span is neither bound nor written again). A message stored meanwhile by another writer is kept
 * once (the key is its hash).
 */
export async function messageStatements(store: Store, rows: MessageRow[]): Promise<StoreStatement[]> {
  if (rows.length === 0) return [];
  const stored = new Set<string>();
  const byAgent = new Map<string, MessageRow[]>();
  for (const r of rows) {
    const list = byAgent.get(r.agent);
    if (list === undefined) byAgent.set(r.agent, [r]);
    else list.push(r);
  }
  for (const [agent, list] of byAgent) {
    for (const f of await storedHashes(store, agent, list)) stored.add(`${agent}\0${f.conversation}\0${f.hash}`);
  }
  const fresh = rows.filter((r) => !stored.has(`${r.agent}\0${r.conversation}\0${r.hash}`));
  return insertIgnoring(store, messages, fresh);
}

/**
 * Which of these messages of `agent` are stored. SQLite looks up exactly these keys (one JSON parameter of
 * (conversation, hash) pairs, each a primary-key search), so the read costs the export, not the length of its
 * conversations; PostgreSQL, and keys that must be bound (`bindOnly`), read every hash of the conversations.
 */
async function storedHashes(store: Store, agent: string, list: MessageRow[]): Promise<{ conversation: string; hash: string }[]> {
  const parts = store.dialect === 'sqlite' && !bindOnly(agent) ? jsonRowParts(list.map((r) => [r.conversation, r.hash])) : null;
  const found: { conversation: string; hash: string }[] = [];
  const columns = { conversation: messages.conversation, hash: messages.hash };
  if (parts !== null) {
    for (const part of parts) appendAll(found, await store.db.select(columns).from(messages).where(withKeys(agent, part)));
    return found;
  }
  for (const part of listParts(store, [...new Set(list.map((r) => r.conversation))])) {
    appendAll(found, await store.db.select(columns).from(messages).where(and(eq(messages.agent, agent), inList(store, messages.conversation, part))));
  }
  return found;
}

/** The messages of `agent` whose (conversation, hash) pair is in `part` (`jsonRowParts`): a primary-key search each. */
function withKeys(agent: string, part: string) {
  return and(eq(messages.agent, agent), sql`(${messages.conversation}, ${messages.hash}) in (select value ->> 0, value ->> 1 from json_each(${part}))`);
}

/** A stored span's message list, or null when a ref names no stored message (counted unreadable, never guessed). */
export type ReadMessages = (row: { agent: string; conversation: string; messageRefs: string }) => unknown[] | null;

/**
 * Texts of stored messages a store keeps in memory (at most `maxChars` characters), by agent, conversation and
 * hash. A stored message never changes (its key is the hash of its text), so a text read once may be reused;
 * whether the message is still stored is always read from the store. Why: every settle of a trace or a session read
 * the text of every message of its conversation again, so a session's reads grew with the square of its length.
 */
export class MessageTexts {
  // Two generations instead of an order of use (a hit costs one lookup, no reordering): texts go into `young`;
  // when it holds half the characters it becomes `old` and the former `old` is dropped; a text found in `old`
  // moves to `young`.
  private young = new Map<string, string>();
  private old = new Map<string, string>();
  private youngChars = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string): string | undefined {
    const text = this.young.get(key);
    if (text !== undefined) return text;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.set(key, aged);
    }
    return aged;
  }

  set(key: string, text: string): void {
    if (text.length > this.maxChars / 2 || this.young.has(key)) return;
    if (this.youngChars + text.length > this.maxChars / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngChars = 0;
    }
    this.young.set(key, text);
    this.youngChars += text.length;
  }
}

const textsOf = new WeakMap<Store, MessageTexts>();

/** Lets `readMessages` keep message texts in memory for `store` (a local libsql file: one process reads it a lot). */
export function keepMessageTexts(store: Store, maxChars = 8_000_000): void {
  textsOf.set(store, new MessageTexts(maxChars));
}

/**
 * Reads the messages of these spans' conversations (one query per chunk of conversations of an agent), each
 * message parsed once and shared by every span that lists it. A store that keeps texts (`keepMessageTexts`) reads
 * which messages are stored (the primary key alone), then the texts of those it does not hold.
 */
export async function readMessages(store: Store, rows: ReadonlyArray<{ agent: string; conversation: string; messageRefs: string }>): Promise<ReadMessages> {
  const byAgent = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.messageRefs === '[]') continue;
    const set = byAgent.get(r.agent);
    if (set === undefined) byAgent.set(r.agent, new Set([r.conversation]));
    else set.add(r.conversation);
  }
  const texts = new Map<string, Map<string, string>>();
  const put = (key: string, hash: string, content: string) => {
    let map = texts.get(key);
    if (map === undefined) texts.set(key, (map = new Map()));
    map.set(hash, content);
  };
  const kept = store.dialect === 'sqlite' ? textsOf.get(store) : undefined;
  for (const [agent, conversations] of byAgent) {
    for (const part of listParts(store, [...conversations])) {
      const where = and(eq(messages.agent, agent), inList(store, messages.conversation, part));
      const missing = kept === undefined ? null : await storedWithoutText(store, kept, agent, where, put);
      const parts = missing === null ? null : jsonRowParts(missing);
      const found: { conversation: string; hash: string; content: string }[] = [];
      const columns = { conversation: messages.conversation, hash: messages.hash, content: messages.content };
      if (parts === null) appendAll(found, await store.db.select(columns).from(messages).where(where));
      else for (const p of parts) appendAll(found, await store.db.select(columns).from(messages).where(withKeys(agent, p)));
      for (const f of found) {
        const key = conversationKey(agent, f.conversation);
        put(key, f.hash, f.content);
        kept?.set(`${key}\0${f.hash}`, f.content);
      }
    }
  }
  const parsed = new Map<string, unknown>();
  return (row) => {
    const refs = JSON.parse(row.messageRefs) as string[];
    if (refs.length === 0) return [];
    const key = conversationKey(row.agent, row.conversation);
    const map = texts.get(key);
    const out: unknown[] = [];
    for (const hash of refs) {
      const text = map?.get(hash);
      if (text === undefined) return null;
      const cacheKey = `${key}\0${hash}`;
      let m = parsed.get(cacheKey);
      if (m === undefined) parsed.set(cacheKey, (m = JSON.parse(text)));
      out.push(m);
    }
    return out;
  };
}

/**
 * Which messages matching `where` (of `agent`) are stored: those whose text `kept` holds go to `put`, the others
 * are returned as (conversation, hash) pairs to read with their text.
 */
async function storedWithoutText(
  store: Store,
  kept: MessageTexts,
  agent: string,
  where: ReturnType<typeof and>,
  put: (key: string, hash: string, content: string) => void,
): Promise<[string, string][]> {
  const missing: [string, string][] = [];
  for (const f of await store.db.select({ conversation: messages.conversation, hash: messages.hash }).from(messages).where(where)) {
    const key = conversationKey(agent, f.conversation);
    const text = kept.get(`${key}\0${f.hash}`);
    if (text === undefined) missing.push([f.conversation, f.hash]);
    else put(key, f.hash, text);
  }
  return missing;
}

/**
 * Statements deleting the messages of these conversations (of one agent) that no span refers to once the spans of
 * the traces `deleting` are gone, for the batch that deletes them. Reads the conversations' spans, so it costs
 * what the conversations hold. A span stored meanwhile that lists one of these messages again (its writer saw the
 * message stored and did not write it) would read as unreadable, counted and never judged, not as a shorter history.
 */
export async function orphanMessageStatements(store: Store, agent: string, conversations: Iterable<string>, deleting: ReadonlySet<string>): Promise<StoreStatement[]> {
  const statements: StoreStatement[] = [];
  for (const conversation of conversations) {
    const used = new Set<string>();
    const remaining = await store.db
      .select({ traceId: spans.traceId, messageRefs: spans.messageRefs })
      .from(spans)
      .where(and(eq(spans.agent, agent), eq(spans.conversation, conversation)));
    for (const r of remaining) if (!deleting.has(r.traceId)) for (const hash of JSON.parse(r.messageRefs) as string[]) used.add(hash);
    const stored = await store.db
      .select({ hash: messages.hash })
      .from(messages)
      .where(and(eq(messages.agent, agent), eq(messages.conversation, conversation)));
    const orphans = stored.map((m) => m.hash).filter((h) => !used.has(h));
    for (const part of chunks(orphans, store.maxParams - 2)) {
      statements.push(store.db.delete(messages).where(and(eq(messages.agent, agent), eq(messages.conversation, conversation), inArray(messages.hash, part))));
    }
  }
  return statements;
}

function chunks<T>(list: T[], size: number): T[][] {
  const n = Math.max(1, size);
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}
