import { and, eq, inArray, sql } from 'drizzle-orm';
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
    const refs: string[] = [];
    for (const m of list) {
      const content = JSON.stringify(m);
      const hash = messageHash(content);
      refs.push(hash);
      if (!held.has(hash)) held.set(hash, { agent, conversation, hash, content });
    }
    return { conversation, messageRefs: JSON.stringify(refs) };
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
  if (parts !== null) {
    for (const part of parts) {
      found.push(
        ...(await store.db
          .select({ conversation: messages.conversation, hash: messages.hash })
          .from(messages)
          .where(and(eq(messages.agent, agent), sql`(${messages.conversation}, ${messages.hash}) in (select value ->> 0, value ->> 1 from json_each(${part}))`))),
      );
    }
    return found;
  }
  for (const part of listParts(store, [...new Set(list.map((r) => r.conversation))])) {
    found.push(
      ...(await store.db
        .select({ conversation: messages.conversation, hash: messages.hash })
        .from(messages)
        .where(and(eq(messages.agent, agent), inList(store, messages.conversation, part)))),
    );
  }
  return found;
}

/** A stored span's message list, or null when a ref names no stored message (counted unreadable, never guessed). */
export type ReadMessages = (row: { agent: string; conversation: string; messageRefs: string }) => unknown[] | null;

/**
 * Reads the messages of these spans' conversations (one query per chunk of conversations of an agent), each
 * message parsed once and shared by every span that lists it.
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
  for (const [agent, conversations] of byAgent) {
    for (const part of listParts(store, [...conversations])) {
      const found = await store.db
        .select({ conversation: messages.conversation, hash: messages.hash, content: messages.content })
        .from(messages)
        .where(and(eq(messages.agent, agent), inList(store, messages.conversation, part)));
      for (const f of found) {
        const key = conversationKey(agent, f.conversation);
        let map = texts.get(key);
        if (map === undefined) texts.set(key, (map = new Map()));
        map.set(f.hash, f.content);
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
