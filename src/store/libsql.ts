import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client, type InArgs, type InStatement, type Transaction, type TransactionMode } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { LocalConnection } from './libsql-local.js';
import { settled, slicedBatch, writeQueueOf, type WriteQueue } from './sliced-batch.js';
import * as schema from './schema.js';
import { keepMessageTexts } from './span-messages.js';
import { walCheckpointer } from './wal-checkpointer.js';
import type { Store, StoreStatement } from './types.js';

/** Where the store lives on Node. */
export interface OpenStoreOptions {
  /** `file:…` path, a plain path, `:memory:`, or a libsql/sqld server URL (`libsql://`, `http://`, `ws://`). */
  url?: string;
  /** Auth token for a libsql server. */
  authToken?: string;
  /** The WAL checkpoint thread's entry (default: the compiled one beside this module; see `walCheckpointer`). */
  walCheckpointThread?: URL;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Default local store file (relative to the working directory). */
export const DEFAULT_DB_PATH = '.signals/signals.db';

/** The committed migrations folder: `migrations/` at the package root (from src/store or dist/store). */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** How long a write waits for another connection's lock (another process on the same file) before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) the libsql store on Node and applies the migrations. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const url = toUrl(options.url ?? DEFAULT_DB_PATH);
  // The client pools connections (a transaction holds its own), so the busy timeout is a client option: a
  // PRAGMA would reach only the first connection and every later one would fail at once on a lock.
  const client = createClient({ url, authToken: options.authToken, timeout: BUSY_TIMEOUT_MS });
  // A local file is written by synchronous calls on this thread: batches run in slices (see `slicedBatch`), and the
  // process's other writes to the file (any store open on it) wait for a batch in progress instead of meeting its
  // lock (an in-memory database has one connection, so its batches stay in one piece).
  const writes = url.startsWith('file:') && !url.includes(':memory:') ? writeQueueOf(url) : null;
  // A plain file path: the hot statements run on two connections of the store's own that keep them prepared
  // (./libsql-local.ts), one writing (in the write queue), one reading.
  const path = writes === null ? null : localPath(url);
  const local = path === null ? null : { writer: new LocalConnection(path, { timeout: BUSY_TIMEOUT_MS }), reader: new LocalConnection(path, { timeout: BUSY_TIMEOUT_MS }) };
  // Checkpoints of a local file run on a thread of their own, not in the commits of the writing connection.
  const checkpoints = path === null || local === null ? null : walCheckpointer(path, local.writer, options.walCheckpointThread);
  const db = drizzle(writes === null ? client : queuedWrites(client, writes, local), { schema });
  if (url.startsWith('file:')) {
    // Pragmas have no Drizzle builder. WAL + NORMAL: one fsync per batch instead of per statement, readers never block.
    await db.run(sql`PRAGMA journal_mode = WAL`);
    await db.run(sql`PRAGMA synchronous = NORMAL`);
  }
  if (options.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  const store: Store = {
    db,
    async batch(statements: StoreStatement[]) {
      if (statements.length === 0) return;
      checkpoints?.wrote();
      if (writes === null) await db.batch(statements as [StoreStatement, ...StoreStatement[]]);
      else await slicedBatch(local?.writer ?? client, writes, statements);
    },
    // SQLite's default SQLITE_MAX_VARIABLE_NUMBER.
    maxParams: 32_000,
    dialect: 'sqlite',
    async close() {
      await checkpoints?.release();
      client.close();
      local?.writer.close();
      local?.reader.close();
    },
  };
  // One process reads a local file a lot (settling reads each conversation again as it grows): message texts read
  // once are kept in memory.
  if (local !== null) keepMessageTexts(store);
  return store;
}

/** The file of a `file:` URL without query or fragment (percent-decoded, as the client reads it); null for any other. */
function localPath(url: string): string | null {
  const match = /^file:([^?#]+)$/.exec(url);
  if (match === null) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

function toUrl(location: string): string {
  if (location === ':memory:') return 'file::memory:';
  if (/^(file|libsql|https?|wss?):/.test(location)) return location;
  const path = resolve(location);
  mkdirSync(dirname(path), { recursive: true });
  return `file:${path}`;
}

/** Statements that change the schema (prepared statements of the other connection are made again). */
const SCHEMA_CHANGE = /^\s*(create|drop|alter)\b/i;

/** Statements that only read: they never wait for the write queue (WAL readers do not block on a writer). */
const READ_ONLY = /^\s*(select|explain)\b/i;

/**
 * The client with its writes in `writes` (Drizzle's queries outside `Store.batch` come through here); with `local`,
 * single statements run on the store's own connections (reads on `reader`, writes on `writer`), the rest (batches,
 * migrations, interactive transactions) on the client's.
 */
function queuedWrites(client: Client, writes: WriteQueue, local: { writer: LocalConnection; reader: LocalConnection } | null): Client {
  const sqlOf = (stmt: InStatement | string) => (typeof stmt === 'string' ? stmt : stmt.sql);
  // Statements another connection's schema change may have made stale are prepared again.
  const forget = <T>(done: Promise<T>) => done.finally(() => (local?.writer.forget(), local?.reader.forget()));
  return new Proxy(client, {
    get(target, prop, receiver) {
      switch (prop) {
        case 'execute':
          return (stmt: InStatement | string, args?: InArgs) => {
            if (READ_ONLY.test(sqlOf(stmt))) return local === null ? target.execute(stmt as string, args) : settled(() => local.reader.execute(stmt, args));
            if (local === null) return writes.run(() => target.execute(stmt as string, args));
            const run = writes.run(() => settled(() => local.writer.execute(stmt, args)));
            return SCHEMA_CHANGE.test(sqlOf(stmt)) ? forget(run) : run;
          };
        case 'batch':
          return (stmts: InStatement[], mode?: TransactionMode) => writes.run(() => target.batch(stmts, mode));
        case 'migrate':
          return (stmts: InStatement[]) => writes.run(() => forget(target.migrate(stmts)));
        case 'executeMultiple':
          return (sql: string) => writes.run(() => forget(target.executeMultiple(sql)));
        case 'transaction':
          // The queue is held from BEGIN until the transaction commits, rolls back or closes.
          return async (mode?: TransactionMode): Promise<Transaction> => {
            let release = () => {};
            const held = new Promise<void>((resolve) => (release = resolve));
            await new Promise<void>((started) => void writes.run(() => (started(), held)));
            let tx: Transaction;
            try {
              tx = await target.transaction(mode);
            } catch (e) {
              release();
              throw e;
            }
            return new Proxy(tx, {
              get(t, p, r) {
                const value = Reflect.get(t, p, r) as unknown;
                if (typeof value !== 'function') return value;
                const f = (value as (...a: unknown[]) => unknown).bind(t);
                if (p !== 'commit' && p !== 'rollback' && p !== 'close') return f;
                return (...a: unknown[]) => {
                  try {
                    const out = f(...a);
                    if (out instanceof Promise) return out.finally(release);
                    release();
                    return out;
                  } catch (e) {
                    release();
                    throw e;
                  }
                };
              },
            });
          };
        default: {
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
      }
    },
  });
}
