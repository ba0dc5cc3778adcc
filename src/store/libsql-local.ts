import { createRequire } from 'node:module';
import type { InArgs, InStatement, InValue, ResultSet, Row } from '@libsql/client';
import { LibsqlError } from '@libsql/client';
import type Libsql from 'libsql';

// The native driver behind @libsql/client's file connections (CommonJS).
const Database = createRequire(import.meta.url)('libsql') as typeof Libsql;

/** Prepared statements kept per connection; past this many distinct texts the cache starts over. */
const MAX_CACHED = 512;

interface Cached {
  statement: Libsql.Statement<unknown[]>;
  /** Null for a statement that returns no rows. */
  columns: string[] | null;
  columnTypes: string[];
  makeRow: ((values: unknown[]) => Row) | null;
}

/**
 * One connection to a local database file with a cache of prepared statements, answering `execute` as
 * @libsql/client's file client does (same rows, values, errors and results), for the store's hot statements.
 *
 * Why: the client prepares every statement again on every call (SQLite compiles it, then the client asks the
 * driver for its columns) and builds each row with a `defineProperty` per value; the store runs the same few
 * statement texts thousands of times a minute. A row here is an object with the same enumerable column values,
 * its positions and `length` read through a prototype shared by every row of the statement.
 */
export class LocalConnection {
  private readonly db: Libsql.Database;
  private readonly cache = new Map<string, Cached>();

  constructor(path: string, options: { timeout: number }) {
    this.db = new Database(path, { timeout: options.timeout } as Libsql.Options);
  }

  /** True while a transaction begun on this connection is open. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Runs one statement (positional or named arguments), as the client's `execute`. */
  execute(stmt: InStatement | string, args?: InArgs): ResultSet {
    const text = typeof stmt === 'string' ? stmt : stmt.sql;
    const given = typeof stmt === 'string' ? (args ?? []) : (stmt.args ?? []);
    try {
      const cached = this.prepared(text);
      const bound = bindable(given);
      if (cached.columns === null) {
        const info = cached.statement.run(bound);
        return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      const makeRow = cached.makeRow!;
      const rows = (cached.statement.all(bound) as unknown[][]).map(makeRow);
      return resultSet(cached.columns, cached.columnTypes, rows, 0, undefined);
    } catch (e) {
      throw toLibsqlError(e);
    }
  }

  /**
   * Forgets the prepared statements after a schema change made on another connection. A statement prepared before
   * this connection notices the change would keep the former columns; the read here makes it load the new schema.
   */
  forget(): void {
    this.cache.clear();
    this.db.prepare('select 1 from sqlite_schema limit 1').all();
  }

  close(): void {
    this.cache.clear();
    if (this.db.open) this.db.close();
  }

  private prepared(text: string): Cached {
    let cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const statement = this.db.prepare(text) as Libsql.Statement<unknown[]>;
    statement.safeIntegers(true);
    if (statement.reader) {
      statement.raw(true);
      const defs = statement.columns();
      const columns = defs.map((c) => c.name);
      cached = { statement, columns, columnTypes: defs.map((c) => c.type ?? ''), makeRow: rowMaker(columns) };
    } else {
      cached = { statement, columns: null, columnTypes: [], makeRow: null };
    }
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(text, cached);
    return cached;
  }
}

/**
 * A row builder for one list of columns: each row holds its values under the column names (enumerable, the first
 * of repeated names wins, as the client's rows) and answers `row[i]` and `row.length` through a shared prototype.
 */
function rowMaker(columns: string[]): (values: unknown[]) => Row {
  const values = Symbol('values');
  const proto: Record<PropertyKey, unknown> = {};
  Object.defineProperty(proto, 'length', { get: () => columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(proto, i, {
      get(this: Record<symbol, unknown[]>) {
        return this[values][i];
      },
    });
  }
  const named: [string, number][] = [];
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (!seen.has(c)) named.push([c, i]);
    seen.add(c);
  });
  return (row) => {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (typeof v === 'bigint' || v instanceof Buffer) row[i] = fromSql(v);
    }
    const out = Object.create(proto) as Record<PropertyKey, unknown>;
    // A symbol key: not among the row's keys, entries or JSON.
    out[values] = row;
    for (const [name, i] of named) out[name] = row[i];
    return out as unknown as Row;
  };
}

const MIN_INTEGER = -9223372036854775808n;
const MAX_INTEGER = 9223372036854775807n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Arguments as the driver binds them (the client's `valueToSql`, integers as numbers). */
function bindable(args: InArgs): unknown[] | Record<string, unknown> {
  if (Array.isArray(args)) return args.map(toSql);
  const out: Record<string, unknown> = {};
  for (const name in args) {
    const key = name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.substring(1) : name;
    out[key] = toSql(args[name]);
  }
  return out;
}

function toSql(value: InValue | undefined): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < MIN_INTEGER || value > MAX_INTEGER) throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

/** A value read back (the client's `valueFromSql` with integers as numbers: out of the safe range is an error). */
function fromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer;
  return value;
}

function resultSet(columns: string[], columnTypes: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON() {
      return {
        columns,
        columnTypes,
        rows: rows.map((r) => Array.prototype.map.call(r, (v: unknown) => (typeof v === 'bigint' ? `${v}` : v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v))),
        rowsAffected,
        lastInsertRowid: lastInsertRowid === undefined ? null : `${lastInsertRowid}`,
      };
    },
  };
}

/** A driver error as the client reports it (its `mapSqliteError`), so callers and src/store/faults.ts see one kind. */
function toLibsqlError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const { code, rawCode } = e as unknown as { code: string; rawCode?: number };
  const base = rawCode === undefined ? 'SQLITE_UNKNOWN' : (SQLITE_CODES[rawCode & 0xff] ?? `SQLITE_UNKNOWN_${rawCode & 0xff}`);
  return new LibsqlError(e.message, base, code, rawCode, e);
}

/** SQLite's primary result codes by number. */
const SQLITE_CODES: Record<number, string> = Object.fromEntries(
  ['ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT', 'NOTFOUND', 'FULL', 'CANTOPEN',
    'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB', 'NOTICE', 'WARNING'].map(
    (name, i) => [i + 1, `SQLITE_${name}`],
  ),
);
