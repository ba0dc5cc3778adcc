// Migration 0002 (tenancy) on a store written before it: one session "1" and one trace that two agents shared are
// split into one of each per agent, revisions recounted, mixed targets queued for labelling again, queued LLM jobs
// and run cursors carried over.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/store/libsql.js';
import * as schema from '../../src/store/schema.js';
import { migrationsBefore } from '../helpers/migrations-before.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0002_tenancy', () => {
  it('splits what two agents shared into rows of their own and keeps everything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-migrate-'));
    dirs.push(dir);
    const client = createClient({ url: `file:${join(dir, 'old.db')}` });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: migrationsBefore(MIGRATIONS_DIR, '0002_tenancy', dir) });
    // What the old code stored: agent b's spans landed in agent a's trace T and session "1".
    const span = (agent: string, spanId: string, parent: string, kind: string, text: string, at: number) =>
      client.execute({
        sql: `insert into spans (trace_id, span_id, parent_span_id, name, agent, session_id, convention, kind, model, start_ns, end_ns, start_ms, end_ms, messages, message_count, unreadable, received_at)
              values ('T', ?, ?, 'x', ?, '1', 'genai-semconv', ?, null, ?, ?, ?, ?, ?, ?, 0, ?)`,
        args: [spanId, parent, agent, kind, `${at}000000`, `${at + 10}000000`, at, at + 10, JSON.stringify(text === '' ? [] : [{ role: 'user', content: text }]), text === '' ? 0 : 1, at],
      });
    await span('a', 'ra', '', 'other', '', 100);
    await span('a', 'la', 'ra', 'llm', 'hello from a', 110);
    await span('b', 'rb', '', 'other', '', 200);
    await span('b', 'lb', 'rb', 'llm', 'secret of b', 210);
    await span('solo', 'rs', '', 'other', '', 300);
    await client.execute(`insert into traces (id, agent, session_id, root_name, root_ended, start_ms, end_ms, revision, settled_revision, last_activity) values ('T', 'a', '1', 'x', 1, 100, 220, 4, 4, 220)`);
    await client.execute(`insert into traces (id, agent, session_id, root_name, root_ended, start_ms, end_ms, revision, settled_revision, last_activity) values ('S', 'solo', null, 'x', 1, 300, 310, 1, 1, 310)`);
    await client.execute(`update spans set trace_id = 'S', session_id = null where span_id = 'rs'`);
    await client.execute(`insert into sessions (id, agent, start_ms, end_ms, revision, settled_revision, last_activity) values ('1', 'a', 100, 220, 4, 4, 220)`);
    await client.execute(`insert into llm_jobs (id, signal_id, version, target_kind, target_id, revision, status, created_at) values ('j1', 'sig', 1, 'session', '1', '4', 'pending', 1), ('j2', 'sig', 1, 'span', 'lb', '1', 'pending', 1)`);
    await client.execute(`insert into runs (id, signal_id, version, kind, since, until, rate, status, counts, cursor, created_at, updated_at) values ('r1', 'sig', 1, 'backfill', 0, 1000, 1, 'running', '{}', '220:1', 1, 1)`);

    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const traces = await db.select().from(schema.traces).orderBy(asc(schema.traces.agent), asc(schema.traces.id));
    expect(traces.map((t) => [t.agent, t.id, t.sessionId, t.rootEnded, t.startMs, t.endMs, t.revision, t.settledRevision])).toEqual([
      // a's trace lost b's spans: recounted and due for labelling again.
      ['a', 'T', '1', true, 100, 120, 2, 0],
      ['b', 'T', '1', true, 200, 220, 2, 0],
      // Untouched: still settled.
      ['solo', 'S', null, true, 300, 310, 1, 1],
    ]);
    const sessions = await db.select().from(schema.sessions).orderBy(asc(schema.sessions.agent));
    expect(sessions.map((s) => [s.agent, s.id, s.startMs, s.endMs, s.revision, s.settledRevision])).toEqual([
      ['a', '1', 100, 120, 2, 0],
      ['b', '1', 200, 220, 2, 0],
    ]);
    const jobs = await db.select().from(schema.llmJobs).orderBy(asc(schema.llmJobs.id));
    expect(jobs.map((j) => [j.id, j.agent])).toEqual([
      ['j1', 'a'],
      ['j2', 'b'],
    ]);
    const [run] = await db.select().from(schema.runs);
    expect(JSON.parse(run.cursor!)).toEqual([220, '', '1']);
    expect(await db.select().from(schema.spans)).toHaveLength(5);
    client.close();
  });
});
