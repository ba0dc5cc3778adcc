// Migration 0021 (runs.resume_at) on a store written before it: a run a day cap paused goes on at the end of the UTC
// day it paused on; a run a run cap paused, and any other run, get no resume time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/store/libsql.js';
import * as schema from '../../src/store/schema.js';
import { migrationsBefore } from '../helpers/migrations-before.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('a run a day cap paused before the migration resumes at the end of the UTC day it paused on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signals-migrate-'));
  dirs.push(dir);
  const client = createClient({ url: `file:${join(dir, 'old.db')}` });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: migrationsBefore(MIGRATIONS_DIR, '0021_run_resume_at', dir) });
  const paused = Date.parse('2026-11-30T15:30:00Z');
  const run = (id: string, status: string, error: string | null) =>
    client.execute({
      sql: `insert into runs (id, signal_id, version, kind, since, until, rate, status, counts, error, created_at, updated_at) values (?, 'sig', 1, 'backfill', 0, 1000, 1, ?, '{}', ?, 1, ?)`,
      args: [id, status, error, paused],
    });
  await run('day', 'paused', 'daily LLM budget reached: 4 requests used of 4 requests');
  await run('provider', 'paused', 'daily LLM budget of provider default reached: $0.3000 used of $0.3500');
  await run('run-cap', 'paused', 'run LLM budget reached: 3 requests used of 3 requests');
  await run('done', 'done', null);

  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });

  const rows = await db.select({ id: schema.runs.id, resumeAt: schema.runs.resumeAt }).from(schema.runs).orderBy(asc(schema.runs.id));
  const midnight = Date.parse('2026-12-01T00:00:00Z');
  expect(rows).toEqual([
    { id: 'day', resumeAt: midnight },
    { id: 'done', resumeAt: null },
    { id: 'provider', resumeAt: midnight },
    { id: 'run-cap', resumeAt: null },
  ]);
  client.close();
});
