// Messages are stored once per conversation (session, else trace) and spans refer to them: a session whose every
// chat span repeats the whole history stores bytes linear in its turns, a message in every span's history is one
// row, every span reads back exactly the messages it was sent with, and retention deletes a message with the last
// span that refers to it. Runs on libsql, D1 and PostgreSQL (the shared store suite).
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedSpan } from '../../src/formats/captured-span.js';
import type { JsonObject } from '../../src/formats/json-value.js';
import { serviceContext } from '../../src/service/context.js';
import { ingest } from '../../src/service/ingest.js';
import { prune } from '../../src/service/retention.js';
import { messages, sessions as sessionsTable, spans, traces as tracesTable } from '../../src/store/schema.js';
import { spansBySpanId, spansOfSessions, spansOfTraces } from '../../src/store/traffic.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir, TEST_STORE } from '../helpers/test-store.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) removeStoreDir(d);
});
async function newStore(): Promise<Store> {
  const dir = newStoreDir('signals-messages-');
  dirs.push(dir);
  const store = await openTestStore(dir);
  stores.push(store);
  return store;
}

const T0 = 1_765_000_000_000;
const ns = (ms: number) => `${ms}000000`;
/** A system prompt of the size real agents send (a policy of a few KB). */
const SYSTEM = `You are a retail support agent. ${'Follow the policy: verify the user, one action at a time, confirm before changing an order. '.repeat(30)}`;

/** The chat span of turn `k` (1-based) of a session: the whole history so far (system prompt first) and the reply. */
function chatHistory(session: string, k: number): JsonObject[] {
  const history: JsonObject[] = [{ from: 'system', value: SYSTEM }];
  for (let i = 1; i <= k; i++) {
    history.push({ from: 'human', value: `${session} turn ${i}: where is my order #${1000 + i}? It has been a while.` });
    history.push({ from: 'gpt', value: `Turn ${i}: your order #${1000 + i} ships tomorrow; anything else I can check?` });
  }
  return history;
}

/** One trace per turn: an agent root span naming the session, its chat span naming none (as many SDKs send them). */
function turn(agent: string, session: string, k: number, at: number): CapturedSpan[] {
  const traceId = `${session}-t${k}`;
  const base = { traceId, agent, convention: 'genai-semconv' as const, model: 'gpt-4o', unreadable: false };
  return [
    { ...base, spanId: `${traceId}-root`, parentSpanId: '', name: 'invoke_agent', sessionId: session, kind: 'other', startTimeUnixNano: ns(at), endTimeUnixNano: ns(at + 900), messages: [] },
    { ...base, spanId: `${traceId}-chat`, parentSpanId: `${traceId}-root`, name: 'chat gpt-4o', sessionId: null, kind: 'llm', startTimeUnixNano: ns(at + 10), endTimeUnixNano: ns(at + 800), messages: chatHistory(session, k) },
  ];
}

/** Stores a session of `turns` turns, one export per turn, and returns the bytes its messages and refs take. */
async function storeSession(store: Store, agent: string, session: string, turns: number, from = T0): Promise<{ messageBytes: number; refBytes: number; rows: number }> {
  for (let k = 1; k <= turns; k++) await ingest(store, turn(agent, session, k, from + k * 1000), { now: () => from + k * 1000 });
  const [m] = await store.db
    .select({ bytes: sql<number>`sum(length(${messages.content}))`, rows: sql<number>`count(*)` })
    .from(messages)
    .where(eq(messages.agent, agent));
  const [r] = await store.db.select({ bytes: sql<number>`sum(length(${spans.messageRefs}))` }).from(spans).where(eq(spans.agent, agent));
  return { messageBytes: Number(m.bytes), refBytes: Number(r.bytes), rows: Number(m.rows) };
}

describe(`messages stored once per conversation on ${TEST_STORE}`, () => {
  it('a session of 2n turns stores about twice the message bytes of n turns, not four times', async () => {
    const store = await newStore();
    const n = 12;
    const short = await storeSession(store, 'shop', 'short', n);
    const long = await storeSession(store, 'shop-2', 'long', 2 * n);
    // What the spans carried: every chat span its whole history (what the former layout stored, span by span).
    const sent = (session: string, turns: number) => Array.from({ length: turns }, (_, k) => JSON.stringify(chatHistory(session, k + 1)).length).reduce((a, b) => a + b, 0);
    // Each distinct message once: the system prompt plus two messages a turn.
    const distinct = (session: string, turns: number) => chatHistory(session, turns).reduce((n, m) => n + JSON.stringify(m).length, 0);
    expect(short.rows).toBe(1 + 2 * n);
    expect(long.rows).toBe(1 + 4 * n);
    expect(short.messageBytes).toBe(distinct('short', n));
    expect(long.messageBytes).toBe(distinct('long', 2 * n));
    // Beyond the one system prompt, twice the turns take twice the bytes (the history sent took four times).
    const system = JSON.stringify({ from: 'system', value: SYSTEM }).length;
    const ratio = (long.messageBytes - system) / (short.messageBytes - system);
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
    const sentRatio = (sent('long', 2 * n) - 2 * n * system) / (sent('short', n) - n * system);
    expect(sentRatio).toBeGreaterThan(3.8);
    // A span lists its messages by hash: 19 bytes a message in its history (a JSON string of 16 hex digits and a
    // comma), whatever the message's size; a root span lists none (`[]`).
    const listed = Array.from({ length: 2 * n }, (_, k) => chatHistory('long', k + 1).length).reduce((a, k) => a + 19 * k + 1, 0);
    expect(long.refBytes).toBe(listed + 2 * 2 * n);
  });

  it('keeps a message every span repeats once, and every span reads back exactly the messages it was sent with', async () => {
    const store = await newStore();
    await storeSession(store, 'shop', 's1', 6);
    const system = await store.db
      .select({ hash: messages.hash })
      .from(messages)
      .where(and(eq(messages.agent, 'shop'), sql`${messages.content} like ${'%verify the user%'}`));
    expect(system).toHaveLength(1);

    const session = (await spansOfSessions(store, [{ agent: 'shop', id: 's1' }])).get('shop\0s1')!;
    const chats = session.filter((s) => s.kind === 'llm');
    expect(chats.map((s) => s.messages)).toEqual([1, 2, 3, 4, 5, 6].map((k) => chatHistory('s1', k)));
    expect(chats.every((s) => !s.unreadable && s.messageCount === s.messages.length)).toBe(true);
    // Trace and span reads give the same messages.
    const trace = (await spansOfTraces(store, [{ agent: 'shop', id: 's1-t4' }])).get('shop\0s1-t4')!;
    expect(trace.find((s) => s.kind === 'llm')!.messages).toEqual(chatHistory('s1', 4));
    const span = (await spansBySpanId(store, [{ agent: 'shop', id: 's1-t3-chat' }])).get('shop\0s1-t3-chat')!;
    expect(span[0].messages).toEqual(chatHistory('s1', 3));
  });

  it('keeps agents apart: the same session id and message under two agents are two conversations', async () => {
    const store = await newStore();
    await storeSession(store, 'a', 'same', 2);
    await storeSession(store, 'b', 'same', 3);
    const rows = await store.db.select({ agent: messages.agent }).from(messages);
    expect(rows.filter((r) => r.agent === 'a')).toHaveLength(5);
    expect(rows.filter((r) => r.agent === 'b')).toHaveLength(7);
    const b = (await spansOfSessions(store, [{ agent: 'b', id: 'same' }])).get('b\0same')!;
    expect(b.filter((s) => s.kind === 'llm').map((s) => s.messages.length)).toEqual([3, 5, 7]);
  });

  it('stores quotes, backslashes, emoji and lone surrogates as a bound string would', async () => {
    const store = await newStore();
    const odd = `quote " backslash \\ \\u0041 escape-like, emoji 😀, lone \ud800 and \udc00, newline \n`;
    const [root, chat] = turn('shop', 'odd', 1, T0);
    chat.name = odd;
    chat.messages = [{ from: 'human', value: `${odd}, nul \u0000` }, { from: 'gpt', value: '\\ud800 is text here' }];
    await ingest(store, [root, chat], { now: () => T0 });
    const [row] = (await spansBySpanId(store, [{ agent: 'shop', id: chat.spanId }])).get(`shop\0${chat.spanId}`)!;
    // Messages are stored as their JSON text: every code unit comes back.
    expect(row.messages).toEqual(chat.messages);
    // A name is stored as UTF-8 text: a lone surrogate becomes U+FFFD, as the drivers encode a bound string.
    expect(row.name).toBe(odd.replace(/\ud800|\udc00/g, '\ufffd'));
  });

  // Keys and names travel to SQLite as JSON texts (lists and rows read by json_each), except a NUL, which SQLite's
  // JSON functions cut short, and a lone surrogate, which D1 stores otherwise when bound: those rows are found and
  // kept as bound parameters did.
  async function oddKeys(store: Store, session: string, rootName: string, stored = { session, rootName }): Promise<void> {
    const turns = [1, 2].map((k) => turn('shop', `odd-${k}`, k, T0 + k * 1000).map((s) => ({ ...s, ...(s.parentSpanId === '' ? { name: rootName, sessionId: session } : {}) })));
    expect((await ingest(store, turns[0], { now: () => T0 })).stored).toBe(2);
    expect((await ingest(store, turns[1], { now: () => T0 + 2000 })).stored).toBe(2);
    expect((await ingest(store, turns[0], { now: () => T0 + 3000 })).stored).toBe(0);
    // Found by the key as a bound parameter (libsql reads a text back only up to a NUL).
    const [row] = await store.db.select({ revision: sessionsTable.revision }).from(sessionsTable).where(and(eq(sessionsTable.agent, 'shop'), eq(sessionsTable.id, stored.session)));
    expect(row?.revision).toBe(4);
    const traceRows = await store.db
      .select({ revision: tracesTable.revision, rootEnded: tracesTable.rootEnded })
      .from(tracesTable)
      .where(and(eq(tracesTable.sessionId, stored.session), eq(tracesTable.rootName, stored.rootName)));
    expect(traceRows).toEqual([
      { revision: 2, rootEnded: true },
      { revision: 2, rootEnded: true },
    ]);
    expect(await store.db.select({ id: sessionsTable.id }).from(sessionsTable)).toHaveLength(1);
  }

  it('finds and keeps keys and names holding a lone surrogate', async () => {
    await oddKeys(await newStore(), 'odd-\udc00-session', 'root \ud800 name');
  });

  // PostgreSQL text holds no NUL at all: every store keeps U+FFFD in its place, so the same input gives the same rows
  // (and a whole export is not lost on PostgreSQL).
  it('keeps keys and names holding a NUL with U+FFFD in its place, on every store', async () => {
    await oddKeys(await newStore(), 'odd\u0000session', 'root \u0000 name', { session: 'odd\ufffdsession', rootName: 'root \ufffd name' });
  });

  // PostgreSQL refuses an index entry past ~2,700 bytes, and with it the whole export: every store keeps an id past
  // 200 characters as its start and a hash of the whole, so long ids stay distinct and the same on every store.
  it('keeps ids past 200 characters as their start and a hash, distinct, on every store', async () => {
    const store = await newStore();
    const long = (tail: string) => `${'€\u{1F600}'.repeat(4_000)}${tail}`;
    const spansIn = [long('a'), long('b')].flatMap((session, k) =>
      turn(long('agent'), session, k + 1, T0 + k * 1000).map((s) => ({ ...s, traceId: long(s.traceId), spanId: long(s.spanId), ...(s.parentSpanId === '' ? {} : { parentSpanId: long(s.parentSpanId) }) })),
    );
    expect((await ingest(store, spansIn, { now: () => T0 })).stored).toBe(4);
    expect((await ingest(store, spansIn, { now: () => T0 + 1000 })).stored).toBe(0);
    const sessionRows = await store.db.select({ agent: sessionsTable.agent, id: sessionsTable.id, revision: sessionsTable.revision }).from(sessionsTable);
    expect(sessionRows).toHaveLength(2);
    for (const r of sessionRows) {
      expect(r.revision).toBe(2);
      expect(r.id).toHaveLength(200);
      expect(r.id).toMatch(/^(€\u{1F600}){61}…[0-9a-f]{16}$/u);
      expect(r.agent).toMatch(/…[0-9a-f]{16}$/);
    }
    expect(new Set(sessionRows.map((r) => r.id)).size).toBe(2);
    // Each chat span still finds its root as its parent: ids are shortened the same way wherever they appear.
    const spanRows = await store.db.select({ spanId: spans.spanId, parentSpanId: spans.parentSpanId }).from(spans);
    const ids = new Set(spanRows.map((r) => r.spanId));
    expect(spanRows.filter((r) => r.parentSpanId !== '').every((r) => ids.has(r.parentSpanId))).toBe(true);
  });

  it('splits an export larger than one statement may bind (2 MB of messages, non-ASCII) and stores all of it', async () => {
    const store = await newStore();
    // 40 chat spans in one export, each with a new 50,000-character message of 3-byte characters.
    const spansOut: CapturedSpan[] = [];
    for (let k = 1; k <= 40; k++) {
      const [root, chat] = turn('shop', 'big', k, T0 + k * 1000);
      chat.messages = [{ from: 'human', value: `${k}:${'€'.repeat(50_000)}` }];
      spansOut.push(root, chat);
    }
    await ingest(store, spansOut, { now: () => T0 });
    const [m] = await store.db.select({ n: sql<number>`count(*)` }).from(messages).where(eq(messages.agent, 'shop'));
    expect(Number(m.n)).toBe(40);
    const session = (await spansOfSessions(store, [{ agent: 'shop', id: 'big' }])).get('shop\0big')!;
    expect(session.filter((s) => s.kind === 'llm').map((s) => (s.messages[0] as { value: string }).value.length)).toEqual(
      Array.from({ length: 40 }, (_, i) => String(i + 1).length + 1 + 50_000),
    );
  });

  it('retention deletes a message with the last span that refers to it', async () => {
    const store = await newStore();
    const day = 86_400_000;
    // Turns 1-2 received 10 days ago, turn 3 now: pruning at 7 days deletes the first two traces only.
    await ingest(store, turn('shop', 's1', 1, T0), { now: () => T0 });
    await ingest(store, turn('shop', 's1', 2, T0 + 1000), { now: () => T0 + 1000 });
    const now = T0 + 10 * day;
    // A later turn that no longer repeats turn 1's question (the agent trimmed its history).
    const trimmed = turn('shop', 's1', 3, now);
    trimmed[1].messages = chatHistory('s1', 3).filter((m) => !String(m.value).startsWith('s1 turn 1:'));
    await ingest(store, trimmed, { now: () => now });
    const before = await store.db.select({ content: messages.content }).from(messages).where(eq(messages.agent, 'shop'));
    expect(before).toHaveLength(7);

    const ctx = serviceContext(store, { retentionDays: 7, now: () => now });
    await prune(ctx, now);
    const after = await store.db.select({ content: messages.content }).from(messages).where(eq(messages.agent, 'shop'));
    // Turn 1's question is gone with the traces that listed it; everything turn 3 lists is kept.
    expect(after).toHaveLength(6);
    expect(after.some((m) => m.content.includes('s1 turn 1:'))).toBe(false);
    const [left] = (await spansOfSessions(store, [{ agent: 'shop', id: 's1' }])).get('shop\0s1')!.filter((s) => s.kind === 'llm');
    expect(left.messages).toEqual(trimmed[1].messages);

    await prune(serviceContext(store, { retentionDays: 7, now: () => now + 10 * day }), now + 10 * day);
    expect(await store.db.select({ hash: messages.hash }).from(messages)).toEqual([]);
  });
});
