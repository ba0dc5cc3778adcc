import type { Client, InArgs, Transaction } from '@libsql/client';
import { LocalConnection } from './libsql-local.js';
import type { StoreStatement } from './types.js';

/** Time a batch may hold the thread before it lets the event loop run (requests, timers) and goes on. */
const SLICE_MS = 10;

/** Runs writes one at a time, in the order they asked. */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every write queued before it. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const done = this.tail.then(work, work);
    this.tail = done.catch(() => {});
    return done;
  }
}

const queues = new Map<string, WriteQueue>();

/** The write queue of a database file, shared by every store this process opens on it. */
export function writeQueueOf(url: string): WriteQueue {
  let queue = queues.get(url);
  if (queue === undefined) queues.set(url, (queue = new WriteQueue()));
  return queue;
}

/** Lets the event loop run once (timers, I/O callbacks). */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface BuiltQuery {
  sql: string;
  args: InArgs;
}

/**
 * A batch on a local file as one write transaction, in slices: the statements are built (Drizzle) and run with a
 * turn of the event loop every 10 ms, so one large export's statements do not hold the thread for their whole
 * commit. Atomic as before (one BEGIN IMMEDIATE ... COMMIT, rolled back on any failure). Readers are not held up:
 * they use other connections and, in WAL mode, see the state before the batch until it commits; this process's
 * other writes wait in the queue, since another connection's write would meet the batch's lock and wait for it
 * synchronously, on this very thread.
 */
export async function slicedBatch(on: Client | LocalConnection, writes: WriteQueue, statements: StoreStatement[]): Promise<void> {
  let start = performance.now();
  const tick = async () => {
    if (performance.now() - start < SLICE_MS) return;
    await yieldToLoop();
    start = performance.now();
  };
  const built: BuiltQuery[] = [];
  for (const statement of statements) {
    // What Drizzle's own batch does with each statement before handing them to the driver.
    const query = (statement as unknown as { _prepare(): { getQuery(): { sql: string; params: unknown[] } } })._prepare().getQuery();
    built.push({ sql: query.sql, args: query.params as InArgs });
    await tick();
  }
  await writes.run(async () => {
    // The slice goes on from the last turn of the loop: a batch that waited in the queue starts in the task that
    // committed the one before it, and a caller may have run a while before calling.
    await tick();
    const tx = on instanceof LocalConnection ? localTransaction(on) : await on.transaction('write');
    try {
      for (const query of built) {
        await tx.execute(query);
        await tick();
      }
      await tx.commit();
    } finally {
      // Rolls back when the commit was not reached.
      tx.close();
    }
  });
}

/** A write transaction (BEGIN IMMEDIATE) on the store's own connection, with the client's transaction methods a batch uses. */
function localTransaction(on: LocalConnection): Pick<Transaction, 'execute' | 'commit' | 'close'> {
  on.execute('BEGIN IMMEDIATE');
  return {
    execute: (query) => settled(() => on.execute(query)),
    commit: () => settled(() => void on.execute('COMMIT')),
    // Rolls back when the commit was not reached, as the client's `close`.
    close: () => {
      if (on.inTransaction) on.execute('ROLLBACK');
    },
  };
}

/** A synchronous call's result or error as a promise. */
export async function settled<T>(call: () => T): Promise<T> {
  return call();
}
