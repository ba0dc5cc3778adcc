import { describe, expect, it } from 'vitest';
import { describeStore, openStoreFromEnv, storeKind } from './open.js';

describe('storeKind', () => {
  it('takes postgres:// and postgresql:// for PostgreSQL, paths and libsql URLs for libsql', () => {
    expect(storeKind('postgres://u:p@db:5432/signals')).toBe('postgres');
    expect(storeKind('POSTGRESQL://db/signals')).toBe('postgres');
    for (const l of ['.signals/signals.db', '/var/lib/signals.db', ':memory:', 'file:x.db', 'libsql://db.example', 'http://127.0.0.1:8080', 'wss://x']) expect(storeKind(l)).toBe('libsql');
  });

  it('refuses any other scheme in one line, instead of taking it for a file path', () => {
    expect(() => storeKind('mysql://root:hunter2@db/signals')).toThrow(/^SIGNALS_DB: "mysql:" is not a store this service can use/);
    expect(() => storeKind('mongodb+srv://x')).toThrow('"mongodb+srv:"');
    expect(() => storeKind('redis://x')).not.toThrow(/hunter2/);
  });
});

describe('describeStore', () => {
  it('leaves the credentials of a URL out', () => {
    expect(describeStore('postgres://signals:s3cret@db:5432/signals')).toBe('postgres://…@db:5432/signals');
    expect(describeStore('.signals/signals.db')).toBe('.signals/signals.db');
  });

  it('leaves out query parameters, where a libsql authToken or a PostgreSQL password may travel (the start line logs it)', () => {
    expect(describeStore('libsql://db.example.io?authToken=tok-secret-1')).toBe('libsql://db.example.io?…');
    expect(describeStore('postgres://u:p@db:5432/signals?password=pw-secret-2&sslmode=require')).toBe('postgres://…@db:5432/signals?…');
    expect(describeStore('file:/var/lib/signals.db#frag')).toBe('file:/var/lib/signals.db#…');
  });
});

describe('openStoreFromEnv', () => {
  it('stops at an unsupported scheme without creating anything, and names no password', async () => {
    await expect(openStoreFromEnv({ SIGNALS_DB: 'mysql://root:hunter2@db/signals' })).rejects.toThrow(/^SIGNALS_DB: "mysql:"[^\n]*$/);
    await expect(openStoreFromEnv({ SIGNALS_DB: 'postgres://127.0.0.1:1/x', SIGNALS_DB_POOL: 'lots' })).rejects.toThrow('SIGNALS_DB_POOL');
  });
});
