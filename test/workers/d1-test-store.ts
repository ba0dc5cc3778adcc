// The shared store suite's store inside workerd: the `d1` vitest project resolves test/helpers/test-store.js to this
// file, so the same test files that run on libsql and PostgreSQL run on a D1 binding (migrations applied by
// apply-migrations.ts, as wrangler applies them). The d1 project's files run in a workerd per vitest worker
// (isolate: false), each with one D1 database, so a new store is that database emptied; a test that needs two
// different stores open at once is refused, never handed the same rows.
import { env } from 'cloudflare:workers';
import { d1Store } from '../../src/store/d1.js';
import type { Store } from '../../src/store/types.js';

const DB = (env as unknown as { DB: D1Database }).DB;

/** Which backend this run tests. */
export const TEST_STORE = 'd1' as const;

/** Tables the store does not own: D1's and wrangler's bookkeeping, SQLite's own. */
const NOT_OURS = /^(_cf_|sqlite_|d1_migrations$)/;

/** The store (dir, name) the database holds now, and how many handles on it are open. */
let current: { key: string; open: number } | undefined;
const used = new Set<string>();

/** A new name to group a test's stores by (nothing is created: D1 needs no folder). */
export function newStoreDir(prefix: string): string {
  return `${prefix}${crypto.randomUUID()}`;
}

/** Nothing to remove on D1 (the next new store empties the database). */
export function removeStoreDir(_dir: string): void {}

/** A name for the store `name` of `dir`: a D1 binding has no URL, so this only tells two stores apart. */
export async function testStoreUrl(dir: string, name = 'signals'): Promise<string> {
  return `d1:${dir}/${name}`;
}

/** Opens the test store `name` of `dir` on the test file's D1 database: empty when new, the same rows when reopened. */
export async function openTestStore(dir: string, name = 'signals'): Promise<Store> {
  const key = await testStoreUrl(dir, name);
  if (current?.key !== key) {
    if (current && current.open > 0) throw new Error(`D1 test store: ${current.key} is still open; one D1 database holds one test store at a time`);
    if (used.has(key)) throw new Error(`D1 test store: ${key} was replaced by another store and cannot be reopened`);
    await empty();
    current = { key, open: 0 };
    used.add(key);
  }
  const held = current;
  held.open += 1;
  const store = d1Store(DB);
  let closed = false;
  return {
    ...store,
    async close() {
      if (!closed) held.open -= 1;
      closed = true;
      await store.close();
    },
  };
}

/** A name no other test uses, for a store that needs no folder. */
export function uniqueStoreName(): string {
  return `s${crypto.randomUUID().slice(0, 12)}`;
}

/** Deletes every row of every store table (the schema and its migrations stay). */
async function empty(): Promise<void> {
  const { results } = await DB.prepare("select name from sqlite_master where type = 'table'").all<{ name: string }>();
  const tables = results.map((r) => r.name).filter((n) => !NOT_OURS.test(n));
  if (tables.length > 0) await DB.batch(tables.map((t) => DB.prepare(`delete from "${t}"`)));
}
