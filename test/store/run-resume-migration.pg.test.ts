// Migration 0018 (runs.resume_at) on a PostgreSQL store written before it: a run a day cap paused goes on at the end
// of the UTC day it paused on; a run a run cap paused, and any other run, get no resume time. The libsql twin is
// run-resume-migration.test.ts (migration 0021 there).
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { PG_MIGRATIONS_DIR } from '../../src/store/postgres.js';
import { migrationsBefore } from '../helpers/migrations-before.js';
import { newStoreDir, removeStoreDir, testStoreUrl } from '../helpers/test-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeStoreDir(d);
});

it('a run a day cap paused before the migration resumes at the end of the UTC day it paused on', async () => {
  const dir = newStoreDir('signals-pg-migrate-');
  dirs.push(dir);
  const pool = new pg.Pool({ connectionString: await testStoreUrl(dir), max: 2 });
  try {
    await migrate(drizzle(pool), { migrationsFolder: migrationsBefore(PG_MIGRATIONS_DIR, '0018_run_resume_at', dir) });
    const paused = Date.parse('2026-11-30T15:30:00Z');
    const run = (id: string, status: string, error: string | null) =>
      pool.query(
        `insert into runs (id, signal_id, version, kind, since, until, rate, status, counts, error, created_at, updated_at) values ($1, 'sig', 1, 'backfill', 0, 1000, 1, $2, '{}', $3, 1, $4)`,
        [id, status, error, paused],
      );
    await run('day', 'paused', 'daily LLM budget reached: 4 requests used of 4 requests');
    await run('provider', 'paused', 'daily LLM budget of provider default reached: $0.3000 used of $0.3500');
    await run('run-cap', 'paused', 'run LLM budget reached: 3 requests used of 3 requests');
    await run('done', 'done', null);

    await migrate(drizzle(pool), { migrationsFolder: PG_MIGRATIONS_DIR });

    const { rows } = await pool.query<{ id: string; resume_at: string | null }>('select id, resume_at from runs order by id');
    const midnight = Date.parse('2026-12-01T00:00:00Z');
    expect(rows.map((r) => [r.id, r.resume_at === null ? null : Number(r.resume_at)])).toEqual([
      ['day', midnight],
      ['done', null],
      ['provider', midnight],
      ['run-cap', null],
    ]);
  } finally {
    await pool.end();
  }
});
