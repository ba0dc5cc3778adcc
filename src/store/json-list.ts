import { inArray, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { bindOnly, STATEMENT_CHARS } from './json-insert.js';
import type { Store } from './types.js';

// Lists of keys in a `where`: on SQLite (libsql, D1) one JSON parameter read by `json_each`, so the statement text is
// the same for any number of keys (Drizzle built a chunk per value and SQLite compiled a placeholder per key on every
// export; D1's 100 parameters cut a list of 200 span ids into three queries). PostgreSQL keeps Drizzle's `in (...)`.

/**
 * The keys in parts, each one `inList` (SQLite: at most STATEMENT_CHARS characters of JSON, D1's string limit;
 * PostgreSQL: at most `maxParams` keys).
 */
export function listParts(store: Store, keys: readonly string[]): string[][] {
  const out: string[][] = [];
  if (store.dialect !== 'sqlite') {
    const size = Math.max(1, store.maxParams);
    for (let i = 0; i < keys.length; i += size) out.push(keys.slice(i, i + size));
    return out;
  }
  let part: string[] = [];
  let chars = 0;
  let params = 2;
  for (const key of keys) {
    // A key that must be bound is a parameter of its own (see inList).
    const alone = bindOnly(key);
    const size = alone ? 0 : JSON.stringify(key).length + 1;
    if (part.length > 0 && (chars + size > STATEMENT_CHARS || (alone && params >= store.maxParams))) {
      out.push(part);
      part = [];
      chars = 0;
      params = 2;
    }
    part.push(key);
    if (alone) params++;
    chars += size;
  }
  if (part.length > 0) out.push(part);
  return out;
}

/**
 * `column in (keys)`. On SQLite the keys travel as one JSON text (`json_each`; the planner looks each up in the
 * column's index as it does a list of placeholders); a key holding a NUL or a lone surrogate (`bindOnly`) is bound
 * as a parameter of its own, as it was stored. No key: false.
 */
export function inList(store: Store, column: SQLiteColumn, keys: readonly string[]): SQL {
  if (keys.length === 0) return sql`0 = 1`;
  if (store.dialect !== 'sqlite') return inArray(column, [...keys]);
  const plain = keys.filter((k) => !bindOnly(k));
  const bound = keys.filter(bindOnly);
  if (plain.length === 0) return inArray(column, bound);
  const json = sql`${column} in (select value from json_each(${JSON.stringify(plain)}))`;
  return bound.length === 0 ? json : sql`(${json} or ${inArray(column, bound)})`;
}
