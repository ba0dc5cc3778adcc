import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client, type InArgs, type ResultSet } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from './libsql-local.js';

// The store's own connection must answer exactly as @libsql/client's file client does: the client is the oracle.
describe('LocalConnection', () => {
  let dir: string;
  let client: Client;
  let local: LocalConnection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'libsql-local-'));
    const path = join(dir, 'x.db');
    client = createClient({ url: `file:${path}` });
    await client.execute('PRAGMA journal_mode = WAL');
    await client.executeMultiple(`
      create table t (id integer primary key, name text not null unique, n integer, r real, b blob, flag integer);
      insert into t values (1, 'one', 10, 1.5, x'0102', 1), (2, 'two', null, null, null, 0), (3, 'three', 9007199254740993, 0.25, x'', 1);
    `);
    local = new LocalConnection(path, { timeout: 5000 });
  });

  afterAll(() => {
    local.close();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What a result shows a caller: its rows by name (enumerable keys) and by position, and the rest. */
  const shape = (r: ResultSet) => ({
    columns: r.columns,
    columnTypes: r.columnTypes,
    byName: r.rows.map((row) => ({ keys: Object.keys(row), entries: Object.entries(row) })),
    byPosition: r.rows.map((row) => Array.prototype.slice.call(row)),
    lengths: r.rows.map((row) => row.length),
    json: JSON.stringify(r),
    rowsAffected: r.rowsAffected,
    lastInsertRowid: r.lastInsertRowid,
  });

  const same = async (sql: string, args: InArgs = []) => {
    // Twice each: the second run is the cached statement's.
    for (let i = 0; i < 2; i++) expect(shape(local.execute({ sql, args }))).toEqual(shape(await client.execute({ sql, args })));
  };

  it('reads rows as the client does: names, positions, repeated names, blobs, nulls', async () => {
    await same('select id, name, n, r, b, flag from t where id in (1, 2) order by id');
    await same('select name, name, id as name, count(*) over () from t order by id');
    await same('select * from t where name = ?', ['one']);
    await same('select * from t where name = :name', { name: 'two' });
    await same('select * from t where name = $name', { $name: 'two' });
    await same('select 1 where 0');
  });

  it('binds booleans, dates and bigints as the client does', async () => {
    await same('select ? as a, ? as b, ? as c, typeof(?) as d', [true, false, 42n, new Date(5)]);
  });

  it('reports changes and the last row id of a write, and rows of a write that returns them', async () => {
    const mine = local.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [10, 'ten'] });
    const theirs = await client.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [11, 'eleven'] });
    expect({ ...shape(mine), lastInsertRowid: undefined, json: undefined }).toEqual({ ...shape(theirs), lastInsertRowid: undefined, json: undefined });
    expect([JSON.parse(JSON.stringify(mine)).lastInsertRowid, JSON.parse(JSON.stringify(theirs)).lastInsertRowid]).toEqual(['10', '11']);
    expect([mine.lastInsertRowid, theirs.lastInsertRowid]).toEqual([10n, 11n]);
    const updated = local.execute({ sql: 'update t set n = n + 1 where id in (10, 11, 1)', args: [] });
    expect(updated.rowsAffected).toBe(3);
    await same('update t set n = 5 where id = ? returning id, n', [2]);
  });

  it('fails as the client does: constraint codes, an unsafe integer, undefined and bad SQL; the cached statement still works after', async () => {
    const error = async (sql: string, args: InArgs) => {
      const mine = (() => {
        try {
          local.execute({ sql, args });
        } catch (e) {
          return e as Error & { code?: string; extendedCode?: string; rawCode?: number };
        }
      })();
      const theirs = await client.execute({ sql, args }).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string; extendedCode?: string; rawCode?: number },
      );
      expect(mine).toBeDefined();
      expect([mine?.constructor.name, mine?.message, mine?.code, mine?.extendedCode, mine?.rawCode]).toEqual([
        theirs?.constructor.name,
        theirs?.message,
        theirs?.code,
        theirs?.extendedCode,
        theirs?.rawCode,
      ]);
    };
    await error('insert into t (id, name) values (?, ?)', [20, 'one']);
    await error('insert into t (id, name) values (?, ?)', [1, 'again']);
    await error('select n from t where id = ?', [3]);
    await error('select ? as x', [undefined as unknown as null]);
    await error('select nope from t', []);
    await error('select ? as x', [Number.NaN]);
    expect(local.execute({ sql: 'insert into t (id, name) values (?, ?)', args: [21, 'twenty-one'] }).rowsAffected).toBe(1);
    await same('select id, name from t where id >= 20 order by id');
  });

  it('sees what another connection committed, and a schema change after forget()', async () => {
    await client.execute("insert into t (id, name) values (30, 'thirty')");
    await same('select count(*) as n from t');
    await client.execute('alter table t add column extra text');
    local.forget();
    await same('select * from t where id = 30');
  });

  it('runs a transaction: rolled back, then committed', async () => {
    local.execute('BEGIN IMMEDIATE');
    local.execute({ sql: "insert into t (id, name) values (40, 'forty')", args: [] });
    expect(local.inTransaction).toBe(true);
    local.execute('ROLLBACK');
    expect(local.inTransaction).toBe(false);
    await same('select count(*) as n from t where id = 40');
    local.execute('BEGIN IMMEDIATE');
    local.execute({ sql: "insert into t (id, name) values (41, 'forty-one')", args: [] });
    local.execute('COMMIT');
    expect((await client.execute('select name from t where id = 41')).rows[0]?.name).toBe('forty-one');
  });
});
