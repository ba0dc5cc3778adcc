import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { slicedBatch, WriteQueue } from './sliced-batch.js';
import type { StoreStatement } from './types.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

/** A statement as Drizzle builds one: `sql` names it in the log. */
const statement = (sql: string) => ({ _prepare: () => ({ getQuery: () => ({ sql, params: [] }) }) }) as unknown as StoreStatement;

/**
 * A client whose write transactions log what they run (`log`); a statement named `slow` holds the thread `slowMs`,
 * and each commit asks for a turn of the event loop that logs `turn after <batch>` when it comes.
 */
function loggingClient(log: string[], slowMs: number): Client {
  return {
    async transaction() {
      let last = '';
      return {
        async execute(query: { sql: string }) {
          last = query.sql;
          log.push(query.sql);
          if (query.sql.endsWith('slow')) busy(slowMs);
          return {};
        },
        async commit() {
          log.push(`commit ${last}`);
          const batch = last.split(' ')[0];
          setImmediate(() => log.push(`turn after ${batch}`));
        },
        close() {},
      };
    },
  } as unknown as Client;
}

describe('slicedBatch', () => {
  it('lets the event loop turn between a long batch and the next one waiting in the queue', async () => {
    const log: string[] = [];
    const client = loggingClient(log, 25);
    const writes = new WriteQueue();
    // B asks while A holds the queue: when A commits, B has waited longer than a slice.
    const a = slicedBatch(client, writes, [statement('A slow')]);
    const b = slicedBatch(client, writes, [statement('B quick')]);
    await Promise.all([a, b]);
    // Before, B's statements ran in the task that committed A (a 4 MB export's batch after another held the loop).
    expect(log).toEqual(['A slow', 'commit A slow', 'turn after A', 'B quick', 'commit B quick']);
  });

  it('runs a short batch without a turn of the loop', async () => {
    const log: string[] = [];
    let turned = false;
    setImmediate(() => (turned = true));
    await slicedBatch(loggingClient(log, 0), new WriteQueue(), [statement('A one'), statement('A two')]);
    expect(turned).toBe(false);
    expect(log).toEqual(['A one', 'A two', 'commit A two']);
  });
});
