import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { storableText } from './storable.js';
import type { SignalsDb, Store, StoreStatement } from './types.js';

/** The committed PostgreSQL migrations: `migrations-pg/` at the package root (from src/store or dist/store). */
export const PG_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations-pg');

/** Where the PostgreSQL store lives and how many connections it may hold. */
export interface OpenPgStoreOptions {
  /** `postgres://user:password@host:5432/db` (or `postgresql://`). */
  url: string;
  /** Connections in the pool (default `SIGNALS_DB_POOL` or 10). */
  poolSize?: number;
  /** Apply pending migrations (default true), under an advisory lock so replicas starting together take turns. */
  migrate?: boolean;
}

/**
 * SQLSTATEs of a transaction PostgreSQL aborted because of concurrent ones, not because of its own statements:
 * deadlock_detected (two writers locking shared rows in different orders, such as an ingest and a settle pass) and
 * serialization_failure. `batch` runs such a transaction again, up to BATCH_ATTEMPTS times in all.
 */
const RETRYABLE = new Set(['40P01', '40001']);
const BATCH_ATTEMPTS = 8;

/** The SQLSTATE of a `pg` error, found on it or on the error Drizzle wrapped around it. */
function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Any key of the advisory lock that serialises migrations; the same number in every replica. */
const MIGRATION_LOCK = 4_127_000_281;

/**
 * How PostgreSQL values come back, so the rows match libsql's: `bigint` (times in ms, counts) and `numeric`
 * (sums) as numbers, `jsonb` as its text, which the column declarations parse (as on SQLite, where JSON is text).
 * Set on `pg`'s global parsers because Drizzle's session passes its own per-query type config, which falls back
 * to them (a pool-level config would be bypassed); nothing else in this process reads PostgreSQL.
 */
const OID = { INT8: 20, NUMERIC: 1700, JSON: 114, JSONB: 3802 };
pg.types.setTypeParser(OID.INT8, (value: string) => Number(value));
pg.types.setTypeParser(OID.NUMERIC, (value: string) => Number(value));
pg.types.setTypeParser(OID.JSON, (value: string) => value);
pg.types.setTypeParser(OID.JSONB, (value: string) => value);

/** A bound value with each NUL as U+FFFD. */
const withoutNul = (v: unknown): unknown => (typeof v === 'string' ? storableText(v) : v);
const hasNul = (values: unknown): values is unknown[] => Array.isArray(values) && values.some((v) => typeof v === 'string' && v.includes('\0'));

/**
 * The pool's client: PostgreSQL text cannot hold a NUL and refuses the whole statement (a lookup of `a%00b` from a
 * URL answered 500), so every bound string goes with U+FFFD in its place, the text ingest stores for a NUL on every
 * store: such a lookup finds what was stored for it, and a write keeps the rest of its text.
 */
class NulSafeClient extends pg.Client {}
const baseQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
NulSafeClient.prototype.query = function query(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
  // Drizzle passes `{ text, values, ... }` (plain objects); pg's own pool passes (text, values, callback).
  if (hasNul(values)) values = values.map(withoutNul);
  else if (config !== null && typeof config === 'object' && Object.getPrototypeOf(config) === Object.prototype) {
    const given = (config as { values?: unknown }).values;
    if (hasNul(given)) config = { ...config, values: given.map(withoutNul) };
  }
  return baseQuery.call(this, config, values, callback);
} as typeof pg.Client.prototype.query;

/**
 * Opens the PostgreSQL store (pooled `pg` connections) and applies the migrations. The store's queries are built
 * by the same code as on SQLite (src/store/*.ts over the sqlite declarations): a table object carries only its
 * names and value mappings, and schema-pg.ts declares the same tables with types that read back the same
 * values, so Drizzle's PostgreSQL session runs them unchanged. `batch` is one transaction.
 */
export async function openPgStore(options: OpenPgStoreOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, application_name: 'agent-signals', Client: NulSafeClient });
  // An idle client that loses its server (a restart, a failover) must not take the process down.
  pool.on('error', () => {});
  const db: NodePgDatabase = drizzle(pool);
  try {
    if (options.migrate !== false) await migrateLocked(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    db: db as unknown as SignalsDb,
    async batch(statements: StoreStatement[]) {
      if (statements.length === 0) return;
      for (let attempt = 1; ; attempt++) {
        try {
          await db.transaction(async (tx) => {
            for (const statement of statements) await tx.execute((statement as unknown as { getSQL(): ReturnType<typeof sql> }).getSQL());
          });
          return;
        } catch (err) {
          // PostgreSQL rolled the whole transaction back: running it again is the same as running it later.
          if (attempt >= BATCH_ATTEMPTS || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
          // Jittered and growing, so transactions that deadlocked on each other do not meet again at once.
          await new Promise((resolve) => setTimeout(resolve, attempt * 20 + Math.random() * 30 * attempt));
        }
      }
    },
    // PostgreSQL takes 65,535 parameters a statement.
    maxParams: 30_000,
    dialect: 'postgresql',
    async close() {
      await pool.end();
    },
  };
}

/** Applies the migrations on one connection holding the advisory lock: a second replica waits, then finds nothing to do. */
async function migrateLocked(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS_DIR });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
