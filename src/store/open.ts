import { DEFAULT_DB_PATH, openStore } from './libsql.js';
import { openPgStore } from './postgres.js';
import type { Store } from './types.js';

/** URL schemes libsql opens: a local file, or a libsql/sqld server. */
const LIBSQL_SCHEMES = new Set(['file', 'libsql', 'http', 'https', 'ws', 'wss']);

/** Which store `SIGNALS_DB` names: PostgreSQL, or libsql (a file path, `:memory:` or a libsql URL). */
export type StoreKind = 'postgres' | 'libsql';

/**
 * The kind of store a `SIGNALS_DB` value names; throws an `Error` (one line, no credentials) for a URL scheme the
 * service cannot use, rather than taking `mysql://…` for a file path.
 */
export function storeKind(location: string): StoreKind {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  // One letter is a Windows drive (C:\…), not a scheme.
  if (scheme === undefined || scheme.length === 1 || LIBSQL_SCHEMES.has(scheme)) return 'libsql';
  throw new Error(`SIGNALS_DB: "${scheme}:" is not a store this service can use (a file path, file:, libsql:, http(s): or ws(s): for libsql, or postgres://)`);
}

/** A store location fit for a message or a log: the password (and user) of a URL and its query and fragment left out. */
export function describeStore(location: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(location)) return location;
  // Credentials, and the query or fragment of a URL: `?authToken=` (libsql) and `?password=` (PostgreSQL) carry secrets.
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1…@').replace(/([?#]).*$/s, '$1…');
}

/**
 * Opens the store `SIGNALS_DB` names (default `.signals/signals.db`) and applies its migrations: PostgreSQL for
 * `postgres://` (pool size `SIGNALS_DB_POOL`, default 10), else libsql (`SIGNALS_DB_TOKEN` for a libsql server).
 */
export async function openStoreFromEnv(env: Record<string, string | undefined>): Promise<Store> {
  const location = env.SIGNALS_DB?.trim() || DEFAULT_DB_PATH;
  if (storeKind(location) === 'postgres') {
    const pool = env.SIGNALS_DB_POOL?.trim();
    const poolSize = pool ? Number(pool) : undefined;
    if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 1000)) {
      throw new Error(`SIGNALS_DB_POOL: a whole number of connections from 1 to 1000, got "${pool}"`);
    }
    return openPgStore({ url: location, poolSize });
  }
  const token = env.SIGNALS_DB_TOKEN?.trim();
  return openStore({ url: location, authToken: token === '' ? undefined : token });
}
