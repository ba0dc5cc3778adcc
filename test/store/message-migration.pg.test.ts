// Migration 0008 (message store) on a PostgreSQL store written before it: every span's messages move to the
// conversation's distinct messages (its session, else its trace's session, else its trace), each span lists them in
// its order, reads give back exactly what the spans held, and new traffic in the same session joins it.
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/service/ingest.js';
import { openPgStore, PG_MIGRATIONS_DIR } from '../../src/store/postgres.js';
import { spansOfSessions, spansOfTraces } from '../../src/store/traffic.js';
import { newStoreDir, removeStoreDir, testStoreUrl } from '../helpers/test-store.js';
import { migrationsBefore } from '../helpers/migrations-before.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeStoreDir(d);
});

const SYSTEM = { role: 'system', content: 'You are a careful agent.' };
const q1 = { role: 'user', content: 'zebra question first' };
const a1 = { role: 'assistant', content: 'an answer with a long tail '.repeat(200) };
const q2 = { role: 'user', content: 'another question' };

describe('migration 0008_message_store on PostgreSQL', () => {
  it('moves every span’s messages to its conversation, once each, and reads them back in order', async () => {
    const dir = newStoreDir('signals-pg-migrate-');
    dirs.push(dir);
    const url = await testStoreUrl(dir);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await migrate(drizzle(pool), { migrationsFolder: migrationsBefore(PG_MIGRATIONS_DIR, '0008_message_store', dir) });
      const span = (agent: string, trace: string, spanId: string, session: string | null, messages: object[], at: number) =>
        pool.query(
          `insert into spans (trace_id, span_id, parent_span_id, name, agent, session_id, convention, kind, model, start_ns, end_ns, start_ms, end_ms, messages, message_count, unreadable, received_at)
           values ($1, $2, '', 'chat', $3, $4, 'genai-semconv', $5, null, $6, $7, $8, $9, $10, $11, false, $12)`,
          [trace, spanId, agent, session, messages.length > 0 ? 'llm' : 'other', `${at}000000`, `${at + 10}000000`, at, at + 10, JSON.stringify(messages), messages.length, at],
        );
      await span('a', 'T1', 'c1', 's1', [SYSTEM, q1, a1], 100);
      await span('a', 'T2', 'c2', null, [SYSTEM, q1, a1, q2], 200);
      await span('a', 'T2', 'r2', 's1', [], 190);
      await span('b', 'T1', 'c1', 's1', [SYSTEM, q2], 300);
      await span('b', 'T9', 'c9', null, [q1, q1], 400);
      await pool.query(`insert into traces (agent, id, session_id, root_name, root_ended, start_ms, end_ms, revision, settled_revision, last_activity) values
        ('a', 'T1', 's1', 'chat', true, 100, 110, 1, 1, 110), ('a', 'T2', 's1', 'chat', true, 190, 210, 2, 2, 210), ('b', 'T1', 's1', 'chat', true, 300, 310, 1, 1, 310), ('b', 'T9', null, 'chat', true, 400, 410, 1, 1, 410)`);

      await migrate(drizzle(pool), { migrationsFolder: PG_MIGRATIONS_DIR });

      const { rows: messages } = await pool.query<{ agent: string; conversation: string; content: string }>('select agent, conversation, content from messages');
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
      const { rows: spans } = await pool.query<{ agent: string; span_id: string; conversation: string; message_refs: string }>(
        'select agent, span_id, conversation, message_refs from spans order by agent, trace_id, span_id',
      );
      expect(spans.map((s) => [s.agent, s.span_id, s.conversation, (JSON.parse(s.message_refs) as string[]).length])).toEqual([
        ['a', 'c1', 's:s1', 3],
        ['a', 'c2', 's:s1', 4],
        ['a', 'r2', 's:s1', 0],
        ['b', 'c1', 's:s1', 2],
        ['b', 'c9', 't:T9', 2],
      ]);
    } finally {
      await pool.end();
    }

    const store = await openPgStore({ url, poolSize: 2 });
    try {
      const a = (await spansOfSessions(store, [{ agent: 'a', id: 's1' }])).get('a\0s1')!;
      expect(a.map((s) => [s.spanId, s.messages, s.unreadable])).toEqual([
        ['c1', [SYSTEM, q1, a1], false],
        ['r2', [], false],
        ['c2', [SYSTEM, q1, a1, q2], false],
      ]);
      const b = (await spansOfTraces(store, [{ agent: 'b', id: 'T9' }])).get('b\0T9')!;
      expect(b[0].messages).toEqual([q1, q1]);
      await ingest(store, [{ traceId: 'T3', spanId: 'c3', parentSpanId: '', name: 'chat', agent: 'a', sessionId: 's1', convention: 'genai-semconv', kind: 'llm', startTimeUnixNano: '500000000', endTimeUnixNano: '510000000', model: null, messages: [SYSTEM, q1, a1, q2, a1], unreadable: false }], { now: () => 500 });
      const after = (await spansOfSessions(store, [{ agent: 'a', id: 's1' }])).get('a\0s1')!;
      expect(after.map((s) => s.messages.length)).toEqual([3, 0, 4, 5]);
      expect(after[3].messages).toEqual([SYSTEM, q1, a1, q2, a1]);
    } finally {
      await store.close();
    }
  });
});
