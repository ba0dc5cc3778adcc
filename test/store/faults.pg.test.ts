// PostgreSQL shortages as the real server reports them are store faults (503 + Retry-After), not bugs.
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { storeFault } from '../../src/store/faults.js';

it('a role out of connections (53300) and a server that refuses connections are store faults', async () => {
  const base = new URL(inject('pgUrl'));
  const admin = new pg.Client({ connectionString: base.href });
  await admin.connect();
  const role = `r${Date.now()}`;
  await admin.query(`create role ${role} login connection limit 0`);
  try {
    const url = new URL(base.href);
    url.username = role;
    url.password = '';
    const err = await new pg.Client({ connectionString: url.href }).connect().then(() => null, (e: unknown) => e);
    expect((err as { code?: string }).code).toBe('53300');
    expect(storeFault(err)).toMatchObject({ kind: 'busy', code: '53300', retryAfterSeconds: 2 });
  } finally {
    await admin.query(`drop role ${role}`);
    await admin.end();
  }
  const closed = new URL(base.href);
  closed.port = '1';
  const refused = await new pg.Pool({ connectionString: closed.href, connectionTimeoutMillis: 5000 }).connect().then(() => null, (e: unknown) => e);
  expect(storeFault(refused)).toMatchObject({ kind: 'unreachable' });
});
