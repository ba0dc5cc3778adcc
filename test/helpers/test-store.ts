// The store a shared-suite test runs on: libsql (a file in the test's folder) in `npm test`, PostgreSQL (a fresh
// database on the cluster the postgres project starts) in `npm run test:postgres`, D1 inside workerd in the `d1`
// project (which resolves this module to test/workers/d1-test-store.ts: keep the two exporting the same). Tests never
// know which, and import no Node module for their stores (workerd has no node:os).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore } from '../../src/store/libsql.js';
import { openPgStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/types.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's URL (test/postgres-setup.ts), in the postgres project only. */
    pgUrl: string;
  }
}

/** Which backend this run tests. */
export const TEST_STORE: 'libsql' | 'postgres' | 'd1' = process.env.SIGNALS_TEST_STORE === 'postgres' ? 'postgres' : 'libsql';

/** A new, empty folder for a test's stores (`prefix` + random), under the system's temporary folder. */
export function newStoreDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder made by `newStoreDir`, with everything in it. */
export function removeStoreDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A URL for a new, empty store: `DIR/NAME.db` on libsql, a new database on PostgreSQL. Same name → same store. */
export async function testStoreUrl(dir: string, name = 'signals'): Promise<string> {
  if (TEST_STORE === 'libsql') return join(dir, `${name}.db`);
  const base = new URL(inject('pgUrl'));
  // One database per (folder, name): a test that reopens "the same file" reopens the same database.
  const db = `t_${createHash('sha256').update(`${dir}\0${name}`).digest('hex').slice(0, 32)}`;
  const admin = new pg.Client({ connectionString: base.href });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [db]);
    if (exists.rowCount === 0) await admin.query(`create database "${db}"`);
  } finally {
    await admin.end();
  }
  base.pathname = `/${db}`;
  return base.href;
}

/** Opens (creating when new) the test store `name` of `dir` on this run's backend. */
export async function openTestStore(dir: string, name = 'signals'): Promise<Store> {
  const url = await testStoreUrl(dir, name);
  return TEST_STORE === 'libsql' ? openStore({ url }) : openPgStore({ url, poolSize: 4 });
}

/** A name no other test uses, for a store that needs no folder. */
export function uniqueStoreName(): string {
  return `s${randomBytes(6).toString('hex')}`;
}
