import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type Libsql from 'libsql';

// The native driver behind @libsql/client's file connections (CommonJS).
const Database = createRequire(import.meta.url)('libsql') as typeof Libsql;

/** What the thread is started with. */
export interface WalCheckpointThreadData {
  /** The database file. */
  path: string;
  /** At most one checkpoint this often. */
  everyMs: number;
}

/** What the thread says when it stops checkpointing on its own (the store then checkpoints on its commits again). */
export interface WalCheckpointThreadFailure {
  failed: string;
}

/**
 * Thread entry of `walCheckpointer`: on a connection of its own, a passive checkpoint (WAL pages copied into the
 * database file and both synced, without waiting for or blocking readers and writers) when the WAL file changed
 * since the last one, at most every `everyMs`. Stops on the message `close`, or on an error, which it reports.
 */
const { path, everyMs } = workerData as WalCheckpointThreadData;
const db = new Database(path, { timeout: 5000 } as Libsql.Options);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let seen: bigint | undefined;

function pass(): void {
  const wal = statSync(`${path}-wal`, { throwIfNoEntry: false, bigint: true });
  // Checkpointing writes the database file and the WAL index, never the WAL file: its time moves only with commits.
  if (wal === undefined || wal.mtimeNs === seen) return;
  seen = wal.mtimeNs;
  checkpoint.all();
}

function stop(): void {
  clearInterval(timer);
  db.close();
  parentPort?.close();
}

const timer = setInterval(() => {
  try {
    pass();
  } catch (err) {
    parentPort?.postMessage({ failed: err instanceof Error ? err.message : String(err) } satisfies WalCheckpointThreadFailure);
    stop();
  }
}, everyMs);

parentPort?.on('message', (message: unknown) => {
  if (message !== 'close') return;
  try {
    // What the last commits wrote goes into the database file before the store closes.
    pass();
  } catch {
    // Closing: the next connection to open the file checkpoints what is left.
  }
  stop();
});
