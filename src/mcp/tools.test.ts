import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../service/api.js';
import { toolFailure } from './tools.js';

describe('toolFailure', () => {
  it('keeps the service’s own messages', () => {
    const err = new ServiceError('not_found', 'No signal "nope" (give its id or name; see signals list)');
    expect(toolFailure(err)).toBe(err);
  });

  it('answers a driver error with a fixed line: the SQL and its parameters stay in the server log', async () => {
    const db = drizzle(createClient({ url: 'file::memory:' }));
    const secret = 'sk-other-tenant-0123456789';
    const err = await db.run(sql`select * from no_such_table where v = ${secret}`).catch((e: unknown) => e);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failure = toolFailure(err);
    const logged = log.mock.calls.length;
    log.mockRestore();
    expect(failure.message).toBe('Internal error (logged by the service)');
    expect(failure.message).not.toContain(secret);
    expect(logged).toBe(1);
  });

  it('answers any other unexpected error with the fixed line too, as the API answers 500 internal_error', () => {
    // A bug's TypeError, or a SyntaxError quoting what it failed to parse (stored content of any tenant).
    const parse = (() => {
      try {
        JSON.parse('{"secret":"sk-other-tenant-42", oops}');
      } catch (e) {
        return e;
      }
    })();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failures = [parse, new TypeError('Cannot convert object to primitive value'), 'a thrown string sk-other-tenant-42'].map(toolFailure);
    log.mockRestore();
    for (const failure of failures) expect(failure.message).toBe('Internal error (logged by the service)');
  });

  it('says a store shortage plainly, as the API’s 503 does', () => {
    const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    expect(toolFailure(busy).message).toBe('Service temporarily unavailable: the database is busy (locked by another writer); retry after 2 s');
  });
});
