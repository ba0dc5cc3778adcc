import { describe, expect, it } from 'vitest';
import { storeFault, StoreFaultLog } from './faults.js';

const libsql = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('storeFault', () => {
  it('names shortages by the driver code, through wrapping errors', () => {
    expect(storeFault(new Error('Failed query', { cause: libsql('SQLITE_FULL') }))).toMatchObject({ kind: 'full', code: 'SQLITE_FULL', retryAfterSeconds: 30 });
    expect(storeFault(libsql('SQLITE_IOERR_WRITE'))).toMatchObject({ kind: 'io' });
    expect(storeFault(libsql('SQLITE_BUSY'))).toMatchObject({ kind: 'busy', retryAfterSeconds: 2 });
    expect(storeFault(new TypeError('fetch failed', { cause: libsql('ECONNREFUSED') }))).toMatchObject({ kind: 'unreachable' });
    expect(storeFault(new Error('D1_ERROR: database or disk is full: SQLITE_FULL'))).toMatchObject({ kind: 'full' });
  });

  it('leaves other errors alone (constraint violations, bugs, input)', () => {
    expect(storeFault(libsql('SQLITE_CONSTRAINT_PRIMARYKEY'))).toBeUndefined();
    expect(storeFault(new Error('SQLITE_FULL mentioned by a caller'))).toBeUndefined();
    expect(storeFault('SQLITE_FULL')).toBeUndefined();
  });

  it('logs one line per episode and one when it ends', () => {
    const lines: string[] = [];
    const log = new StoreFaultLog('here', (l) => lines.push(l));
    for (let i = 0; i < 5; i++) log.failed(libsql('SQLITE_FULL'));
    log.failed(new Error('not a shortage'));
    log.ok();
    log.ok();
    expect(lines).toEqual(['here: store unavailable (SQLITE_FULL): the database or its disk is full; refusing writes until it recovers', 'here: store available again after SQLITE_FULL (5 operation(s) refused meanwhile)']);
  });
});
