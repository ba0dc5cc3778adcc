import { getTableColumns, sql, type Table } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Store, StoreStatement } from './types.js';

/** Characters of row JSON one statement binds: D1 takes strings up to 2,000,000 bytes, and a character is at most 3. */
export const STATEMENT_CHARS = 600_000;

/**
 * Statements inserting `rows` into `table`, keeping a row whose key is already stored (`on conflict do nothing`).
 * On SQLite (libsql, D1) the rows travel as one JSON parameter read by `json_each`: the statement text is the same
 * for any number of rows, so it is short to build and to compile, where a multi-row `values` list costs Drizzle a
 * chunk per value and SQLite a parse of thousands of placeholders on every export (and D1's 100 parameters would
 * cut it into 5-row statements). PostgreSQL keeps Drizzle's multi-row insert.
 */
export function insertIgnoring<T extends SQLiteTable>(store: Store, table: T, rows: T['$inferInsert'][]): StoreStatement[] {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table as unknown as Table));
  const bound = (list: T['$inferInsert'][]) => {
    const size = Math.max(1, Math.floor(store.maxParams / columns.length));
    const statements: StoreStatement[] = [];
    for (let i = 0; i < list.length; i += size) statements.push(store.db.insert(table).values(list.slice(i, i + size)).onConflictDoNothing());
    return statements;
  };
  if (store.dialect !== 'sqlite') return bound(rows);
  const values = sql.raw(columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', '));
  const out: StoreStatement[] = [];
  let part: string[] = [];
  let chars = 0;
  const flush = () => {
    // `where true`: SQLite needs it to tell an upsert's `on conflict` from a join constraint after `select`.
    const select = sql`select ${values} from json_each(${`[${part.join(',')}]`}) where true`;
    out.push(store.db.insert(table).select(select).onConflictDoNothing());
    part = [];
    chars = 0;
  };
  // SQLite's JSON functions end a text at a NUL character: rows holding one are bound as parameters instead.
  const withNul: T['$inferInsert'][] = [];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    const text = JSON.stringify(columns.map(([key, c]) => sqliteValue(record[key], c.columnType)));
    if (text.includes('\\u0000')) {
      withNul.push(row);
      continue;
    }
    if (chars > 0 && chars + text.length > STATEMENT_CHARS) flush();
    part.push(wellFormed(text));
    chars += text.length + 1;
  }
  if (part.length > 0) flush();
  out.push(...bound(withNul));
  return out;
}

/** A value as the column stores it: JSON-mode columns as their text, everything else as is (null when absent). */
function sqliteValue(value: unknown, columnType: string): unknown {
  if (value === undefined || value === null) return null;
  return columnType === 'SQLiteTextJson' ? JSON.stringify(value) : value;
}

/**
 * JSON text with every lone surrogate (which JSON.stringify writes as a `\uD8xx`-style escape; it writes pairs as
 * they are) replaced by U+FFFD, as binding the string as a parameter would have encoded it.
 */
function wellFormed(json: string): string {
  return json.includes('\\u') ? json.replace(/(?<!\\)((?:\\\\)*)\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}/g, '$1\\ufffd') : json;
}

/**
 * A text that must be bound as a parameter rather than travel inside JSON: SQLite's JSON functions cut a text at a
 * NUL, and a lone surrogate would be stored as U+FFFD where a driver binding it may keep other bytes (D1 does), so
 * a key written one way would not be found the other.
 */
export function bindOnly(text: string): boolean {
  return text.includes('\0') || /\p{Cs}/u.test(text);
}

/**
 * Rows (arrays of plain values) as JSON array texts for `json_each`, each at most STATEMENT_CHARS characters; null
 * when a text must be bound as a parameter (`bindOnly`).
 */
export function jsonRowParts(rows: readonly unknown[][]): string[] | null {
  const out: string[] = [];
  let part: string[] = [];
  let chars = 0;
  for (const row of rows) {
    if (row.some((v) => typeof v === 'string' && bindOnly(v))) return null;
    const text = JSON.stringify(row);
    if (chars > 0 && chars + text.length > STATEMENT_CHARS) {
      out.push(`[${part.join(',')}]`);
      part = [];
      chars = 0;
    }
    part.push(text);
    chars += text.length + 1;
  }
  if (part.length > 0) out.push(`[${part.join(',')}]`);
  return out;
}
