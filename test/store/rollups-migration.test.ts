// Migration 0010 (label rollups) on a store labelled before it: the rollups start equal to the current labels
// already stored (superseded ones not counted), and the triggers keep them so from then on; 0012 keys the review queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
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

it('fills the rollups from the current labels stored before it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signals-rollups-migrate-'));
  dirs.push(dir);
  const client = createClient({ url: `file:${join(dir, 'old.db')}` });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: migrationsBefore(MIGRATIONS_DIR, '0010_label_rollups', dir) });
  const label = (id: string, signal: string, target: string, value: string | null, status: string, at: number, superseded: number) =>
    client.execute({
      sql: `insert into labels (id, signal_id, version, target_kind, target_id, revision, agent, status, value, explanation, judge, at, labelled_at, superseded)
            values (?, ?, 1, 'span', ?, ?, 'a', ?, ?, '', 'rules', ?, 0, ?)`,
      args: [id, signal, target, id, status, value, at, superseded],
    });
  await label('1', 's', 't1', 'yes', 'labelled', 1_000, 1);
  await label('2', 's', 't1', 'no', 'labelled', 1_000, 0);
  await label('3', 's', 't2', 'no', 'labelled', 299_999, 0);
  await label('4', 's', 't3', 'yes', 'labelled', 300_000, 0);
  await label('5', 's', 't4', null, 'error', -1, 0);
  await label('6', 'r', 't1', 'yes', 'labelled', 1_000, 0);
  await label('a1b2c3d4-0000-4000-8000-000000000000', 'r', 't2', 'yes', 'labelled', 1_000, 1);

  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  const counts = await client.execute('select signal_id, slot, key, n from label_counts order by 1, 2, 3');
  expect(counts.rows.map((r) => [r.signal_id, Number(r.slot), r.key, Number(r.n)])).toEqual([
    ['r', 0, 'yes', 1],
    ['s', -300_000, 'error', 1],
    ['s', 0, 'no', 2],
    ['s', 300_000, 'yes', 1],
  ]);
  // Migration 0012 gives labels stored before it a review-queue key from their random id's first 7 hex digits.
  const keys = await client.execute(`select review_key from labels where id = 'a1b2c3d4-0000-4000-8000-000000000000'`);
  expect(Number(keys.rows[0].review_key)).toBe(0xa1b2c3d);
  const totals = await client.execute('select signal_id, key, n from label_totals order by 1, 2');
  expect(totals.rows.map((r) => [r.signal_id, r.key, Number(r.n)])).toEqual([
    ['r', 'yes', 1],
    ['s', 'error', 1],
    ['s', 'no', 2],
    ['s', 'yes', 1],
  ]);
  // From now on the triggers count: t2 relabelled "yes" moves one count from "no" to "yes".
  await client.execute(`update labels set superseded = 1 where id = '3'`);
  await label('7', 's', 't2', 'yes', 'labelled', 299_999, 0);
  const after = await client.execute(`select key, n from label_counts where signal_id = 's' and slot = 0 order by 1`);
  expect(after.rows.map((r) => [r.key, Number(r.n)])).toEqual([
    ['no', 1],
    ['yes', 1],
  ]);
  client.close();
});
