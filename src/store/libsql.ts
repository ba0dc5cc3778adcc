import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.js';
import type { Store, StoreStatement } from './types.js';

/** Where the store lives on Node. */
export interface OpenStoreOptions {
  /** `file:…` path, a plain path, `:memory:`, or a libsql/sqld server URL (`libsql://`, `http://`, `ws://`). */
  url?: string;
  /** Auth token for a libsql server. */
  authToken?: string;
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
  const db = drizzle(client, { schema });
  if (url.startsWith('file:')) {
    // Pragmas have no Drizzle builder. WAL + NORMAL: one fsync per batch instead of per statement, readers never block.
    await db.run(sql`PRAGMA journal_mode = WAL`);
    await db.run(sql`PRAGMA synchronous = NORMAL`);
  }
  if (options.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db,
    async batch(statements: StoreStatement[]) {
      if (statements.length === 0) return;
      await db.batch(statements as [StoreStatement, ...StoreStatement[]]);
    },
    // SQLite's default SQLITE_MAX_VARIABLE_NUMBER.
    maxParams: 32_000,
    dialect: 'sqlite',
    async close() {
      client.close();
    },
  };
}

function toUrl(location: string): string {
  if (location === ':memory:') return 'file::memory:';
  if (/^(file|libsql|https?|wss?):/.test(location)) return location;
  const path = resolve(location);
  mkdirSync(dirname(path), { recursive: true });
  return `file:${path}`;
}
