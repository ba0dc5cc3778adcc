import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/** The Drizzle database over the signals schema, whichever driver is behind it (libsql or D1). */
export type SignalsDb = BaseSQLiteDatabase<'async', unknown, typeof schema>;

/** One statement for `Store.batch`. */
export type StoreStatement = BatchItem<'sqlite'>;

/**
 * The signals store as callers see it (service, alerts scheduler, CLI): Drizzle queries over one schema, run
 * by libsql (`openStore`) or D1 (`d1Store`). Callers never learn which one.
 */
export interface Store {
  /** Queries and single statements. */
  readonly db: SignalsDb;
  /** Runs statements atomically in one round trip (a transaction on libsql, a D1 batch on Workers). */
  batch(statements: StoreStatement[]): Promise<void>;
  /** Most bound parameters one statement may carry (D1 allows 100), so multi-row inserts chunk to fit. */
  readonly maxParams: number;
  /** The SQL dialect, read only by the store's own modules for the one clause that differs (row locks when claiming). */
  readonly dialect: 'sqlite' | 'postgresql';
  /** Releases the connection (a no-op on D1). */
  close(): Promise<void>;
}
