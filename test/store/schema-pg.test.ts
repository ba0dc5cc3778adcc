// The PostgreSQL declarations (src/store/schema-pg.ts) hold the same tables, columns, keys and indexes as the sqlite
// ones (src/store/schema.ts), each column of the matching kind, so one set of store queries serves both.
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../src/store/schema-pg.js';
import * as sqliteSchema from '../../src/store/schema.js';

/** sqlite column type → the PostgreSQL type that reads back the same JavaScript value. */
const PG_TYPE: Record<string, string> = { SQLiteText: 'PgText', SQLiteTextJson: 'PgJson', SQLiteBoolean: 'PgBoolean', SQLiteInteger: 'PgBigInt53', SQLiteReal: 'PgDoublePrecision' };

type Shape = { columns: string[][]; primaryKey: string[][]; indexes: string[][] };

function sqliteShape(table: SQLiteTable): Shape {
  const c = sqliteConfig(table);
  return {
    columns: c.columns.map((col) => [col.name, PG_TYPE[col.columnType] ?? col.columnType, String(col.notNull), String(col.primary), JSON.stringify(col.default ?? null)]).sort(),
    primaryKey: c.primaryKeys.map((k) => k.columns.map((col) => col.name)),
    indexes: c.indexes.map((i) => [i.config.name, String(i.config.unique), ...i.config.columns.map((col) => (col as { name: string }).name)]).sort(),
  };
}

function pgShape(table: PgTable): Shape {
  const c = pgConfig(table);
  return {
    columns: c.columns.map((col) => [col.name, col.columnType, String(col.notNull), String(col.primary), JSON.stringify(col.default ?? null)]).sort(),
    primaryKey: c.primaryKeys.map((k) => k.columns.map((col) => col.name)),
    indexes: c.indexes.map((i) => [i.config.name!, String(i.config.unique), ...i.config.columns.map((col) => (col as { name: string }).name)]).sort(),
  };
}

const tables = <T>(schema: Record<string, unknown>, is: (v: unknown) => boolean) =>
  Object.fromEntries(Object.entries(schema).filter(([, v]) => is(v))) as Record<string, T>;

describe('the PostgreSQL schema', () => {
  const sqliteTables = tables<SQLiteTable>(sqliteSchema, (v) => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v);
  const pgTables = tables<PgTable>(pgSchema, (v) => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v);

  it('declares the same tables under the same names', () => {
    expect(Object.keys(sqliteTables).length).toBeGreaterThan(5);
    expect(Object.keys(pgTables).sort()).toEqual(Object.keys(sqliteTables).sort());
    for (const name of Object.keys(sqliteTables)) expect(pgConfig(pgTables[name]).name).toBe(sqliteConfig(sqliteTables[name]).name);
  });

  for (const name of Object.keys(sqliteSchema)) {
    const table = (sqliteSchema as Record<string, unknown>)[name];
    if (typeof table !== 'object' || table === null || !(Symbol.for('drizzle:IsDrizzleTable') in table)) continue;
    it(`${name}: same columns (matching types, nullability, defaults), keys and indexes`, () => {
      const pgTable = (pgSchema as Record<string, unknown>)[name] as PgTable | undefined;
      expect(pgTable, `schema-pg.ts has no ${name}`).toBeDefined();
      expect(pgShape(pgTable!)).toEqual(sqliteShape(table as SQLiteTable));
    });
  }
});
