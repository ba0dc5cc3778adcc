// Migration 0011 (message store) on a store written before it: every span's messages move to the conversation's
// distinct messages (its session, else its trace's session, else its trace), each span lists them in its order,
// and reads give back exactly what the spans held; new traffic in the same session then joins it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/service/ingest.js';
import { MIGRATIONS_DIR, openStore } from '../../src/store/libsql.js';
import * as schema from '../../src/store/schema.js';
import { spansOfSessions, spansOfTraces } from '../../src/store/traffic.js';
import { migrationsBefore } from '../helpers/migrations-before.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SYSTEM = { role: 'system', content: 'You are a careful agent.' };
const q1 = { role: 'user', content: 'zebra question first' };
const a1 = { role: 'assistant', content: 'an answer' };
const q2 = { role: 'user', content: 'another question' };

describe('migration 0011_message_store', () => {
  it('moves every span’s messages to its conversation, once each, and reads them back in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-migrate-'));
    dirs.push(dir);
    const path = join(dir, 'old.db');
    const client = createClient({ url: `file:${path}` });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: migrationsBefore(MIGRATIONS_DIR, '0011_message_store', dir) });
    const span = (agent: string, trace: string, spanId: string, session: string | null, messages: object[], at: number) =>
      client.execute({
        sql: `insert into spans (trace_id, span_id, parent_span_id, name, agent, session_id, convention, kind, model, start_ns, end_ns, start_ms, end_ms, messages, message_count, unreadable, received_at)
              values (?, ?, '', 'chat', ?, ?, 'genai-semconv', ?, null, ?, ?, ?, ?, ?, ?, 0, ?)`,
        args: [trace, spanId, agent, session, messages.length > 0 ? 'llm' : 'other', `${at}000000`, `${at + 10}000000`, at, at + 10, JSON.stringify(messages), messages.length, at],
      });
    // Session s1 of agent a: two traces; the second trace's chat span names no session (its trace row does).
    await span('a', 'T1', 'c1', 's1', [SYSTEM, q1, a1], 100);
    await span('a', 'T2', 'c2', null, [SYSTEM, q1, a1, q2], 200);
    await span('a', 'T2', 'r2', 's1', [], 190);
    // Agent b, same session id and the same system prompt: a conversation of its own; a trace without a session.
    await span('b', 'T1', 'c1', 's1', [SYSTEM, q2], 300);
    await span('b', 'T9', 'c9', null, [q1, q1], 400);
    await client.execute(`insert into traces (agent, id, session_id, root_name, root_ended, start_ms, end_ms, revision, settled_revision, last_activity) values
      ('a', 'T1', 's1', 'chat', 1, 100, 110, 1, 1, 110), ('a', 'T2', 's1', 'chat', 1, 190, 210, 2, 2, 210), ('b', 'T1', 's1', 'chat', 1, 300, 310, 1, 1, 310), ('b', 'T9', null, 'chat', 1, 400, 410, 1, 1, 410)`);
    await client.execute(`insert into sessions (agent, id, start_ms, end_ms, revision, settled_revision, last_activity) values ('a', 's1', 100, 210, 3, 3, 210), ('b', 's1', 300, 310, 1, 1, 310)`);

    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const messages = await db.select().from(schema.messages).orderBy(asc(schema.messages.agent), asc(schema.messages.conversation), asc(schema.messages.hash));
    expect(messages.map((m) => [m.agent, m.conversation, JSON.parse(m.content)])).toEqual(
      expect.arrayContaining([
        ['a', 's:s1', SYSTEM],
        ['a', 's:s1', q1],
        ['a', 's:s1', a1],
        ['a', 's:s1', q2],
        ['b', 's:s1', SYSTEM],
        ['b', 's:s1', q2],
        ['b', 't:T9', q1],
      ]),
    );
    expect(messages).toHaveLength(7);
    const spans = await db.select().from(schema.spans).orderBy(asc(schema.spans.agent), asc(schema.spans.traceId), asc(schema.spans.spanId));
    expect(spans.map((s) => [s.agent, s.spanId, s.conversation, (JSON.parse(s.messageRefs) as string[]).length])).toEqual([
      ['a', 'c1', 's:s1', 3],
      ['a', 'c2', 's:s1', 4],
      ['a', 'r2', 's:s1', 0],
      ['b', 'c1', 's:s1', 2],
      ['b', 'c9', 't:T9', 2],
    ]);
    client.close();

    const store = await openStore({ url: path });
    try {
      const a = (await spansOfSessions(store, [{ agent: 'a', id: 's1' }])).get('a\0s1')!;
      expect(a.map((s) => [s.spanId, s.messages, s.unreadable])).toEqual([
        ['c1', [SYSTEM, q1, a1], false],
        ['r2', [], false],
        ['c2', [SYSTEM, q1, a1, q2], false],
      ]);
      const b = (await spansOfTraces(store, [{ agent: 'b', id: 'T9' }])).get('b\0T9')!;
      expect(b[0].messages).toEqual([q1, q1]);

      // The session goes on after the migration: its spans read the moved messages and the new ones.
      await ingest(store, [{ traceId: 'T3', spanId: 'c3', parentSpanId: '', name: 'chat', agent: 'a', sessionId: 's1', convention: 'genai-semconv', kind: 'llm', startTimeUnixNano: '500000000', endTimeUnixNano: '510000000', model: null, messages: [SYSTEM, q1, a1, q2, a1], unreadable: false }], { now: () => 500 });
      const after = (await spansOfSessions(store, [{ agent: 'a', id: 's1' }])).get('a\0s1')!;
      expect(after.map((s) => s.messages.length)).toEqual([3, 0, 4, 5]);
      expect(after[3].messages).toEqual([SYSTEM, q1, a1, q2, a1]);
    } finally {
      await store.close();
    }
  });
});
