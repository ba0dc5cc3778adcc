import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './libsql.js';

// The compiled thread entry (dist/, built by `npm run build`, as the CLI tests need it).
const THREAD = new URL('../../dist/store/wal-checkpoint-thread.js', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'signals-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** Rows of about 1 KB in batches, as the store writes them: ~2 MB, under the 1,000 pages of SQLite's own checkpoints. */
async function write(store: Awaited<ReturnType<typeof openStore>>, from: number, rows = 2000): Promise<void> {
  await store.db.run(sql`create table if not exists filler (id integer primary key, body text not null)`);
  for (let i = from; i < from + rows; i += 100) {
    const batch = Array.from({ length: 100 }, (_, k) => store.db.run(sql`insert into filler (id, body) values (${i + k}, ${'x'.repeat(1000) + (i + k)})`));
    await store.batch(batch as never);
  }
}

const autoCheckpoint = async (store: Awaited<ReturnType<typeof openStore>>) => Number(Object.values((await store.db.all<Record<string, unknown>>(sql`PRAGMA wal_autocheckpoint`))[0])[0]);

describe('WAL checkpoints on a thread of their own (libsql file store)', () => {
  it('is built for this test run', () => {
    expect(existsSync(fileURLToPath(THREAD))).toBe(true);
  });

  it('checkpoints the commits of the writing connection, which no longer does, and keeps every row', async () => {
    const path = join(dir, 'a.db');
    const store = await openStore({ url: path, walCheckpointThread: THREAD });
    await write(store, 0);
    // The writer leaves checkpoints to the thread: its own setting is off.
    expect(await autoCheckpoint(store)).toBe(0);
    // ~2 MB were committed to the WAL (under SQLite's 1,000-page threshold): the thread copies them into the file.
    expect(await until(() => size(path) > 2_000_000)).toBe(true);
    await write(store, 2000);
    expect(await until(() => size(path) > 4_000_000)).toBe(true);
    const [{ n }] = await store.db.all<{ n: number }>(sql`select count(*) as n from filler`);
    expect(Number(n)).toBe(4000);
    await store.close();
    const again = await openStore({ url: path, walCheckpointThread: THREAD });
    const [{ m }] = await again.db.all<{ m: number }>(sql`select count(*) as m from filler`);
    expect(Number(m)).toBe(4000);
    await again.close();
  });

  it('two stores on one file share the thread, which outlives the first to close', async () => {
    const path = join(dir, 'b.db');
    const one = await openStore({ url: path, walCheckpointThread: THREAD });
    const two = await openStore({ url: path, walCheckpointThread: THREAD });
    await write(one, 0, 500);
    await write(two, 500, 500);
    await one.close();
    await write(two, 1000, 1500);
    expect(await autoCheckpoint(two)).toBe(0);
    expect(await until(() => size(path) > 2_000_000)).toBe(true);
    await two.close();
  });

  it('a thread that fails gives the checkpoints back to the writer', async () => {
    const path = join(dir, 'c.db');
    const broken = new URL('data:text/javascript,throw new Error("no thread")');
    const store = await openStore({ url: path, walCheckpointThread: broken });
    await write(store, 0, 100);
    expect(await until(async () => (await autoCheckpoint(store)) === 1000)).toBe(true);
    await write(store, 100, 100);
    const [{ n }] = await store.db.all<{ n: number }>(sql`select count(*) as n from filler`);
    expect(Number(n)).toBe(200);
    await store.close();
  });
});
