import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agents } from '../../src/store/schema.js';
import { openStore } from '../../src/store/libsql.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openStore (libsql file)', () => {
  it('creates the file, applies the migrations once, and keeps data across reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-store-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'signals.db');
    const first = await openStore({ url: path });
    await first.db.insert(agents).values({ id: 'a1', firstSeen: 1, lastSeen: 2 });
    await first.close();
    const second = await openStore({ url: path });
    expect(await second.db.select().from(agents)).toEqual([{ id: 'a1', firstSeen: 1, lastSeen: 2 }]);
    await second.close();
  });
});
