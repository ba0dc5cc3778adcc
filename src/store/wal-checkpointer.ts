import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LocalConnection } from './libsql-local.js';
import type { WalCheckpointThreadData, WalCheckpointThreadFailure } from './wal-checkpoint-thread.js';

/** Where the compiled thread entry lives (next to this module in dist/). */
export const WAL_CHECKPOINT_THREAD_URL = new URL('./wal-checkpoint-thread.js', import.meta.url);

/** SQLite's default: a commit that leaves the WAL at this many pages checkpoints it. */
const AUTO_CHECKPOINT_PAGES = 1000;

/** At most one checkpoint a second from the thread. */
const EVERY_MS = 1000;

/** A file's checkpoint thread, shared by every store of the process on that file. */
interface Checkpointer {
  thread: Worker;
  /** Writing connections that leave checkpoints to the thread. */
  writers: Set<LocalConnection>;
  /** False once the thread stopped (failed, or closed). */
  running: boolean;
  exited: Promise<void>;
}

const byPath = new Map<string, Checkpointer>();

/** Lets `writer` checkpoint on its own commits again. */
function checkpointOnCommit(writer: LocalConnection, pages: number): void {
  try {
    writer.execute(`PRAGMA wal_autocheckpoint = ${pages}`);
  } catch {
    // A closed connection checkpoints nothing.
  }
}

/** A writer's use of its file's checkpoint thread. */
export interface WalCheckpoints {
  /** Called on each batch: the first starts the thread (stores that only read never start one). */
  wrote(): void;
  /** Releases the writer (the thread stops with the file's last one). */
  release(): Promise<void>;
}

/**
 * Moves the WAL checkpoints of a local file store off this thread. A commit that grows the WAL past 1,000 pages
 * would copy them into the database file and sync both, on the thread that commits: in the service that is the
 * event loop, which then waits for the disk. From its first batch, `writer` stops checkpointing on its commits
 * (`wal_autocheckpoint = 0`) and a thread of the process (one per file) checkpoints passively, at most once a second,
 * when the WAL changed. If the thread fails or stops, the writers checkpoint on their commits again. Without the
 * compiled thread entry (the TypeScript sources under a test runner) nothing changes.
 */
export function walCheckpointer(path: string, writer: LocalConnection, filename: URL = WAL_CHECKPOINT_THREAD_URL): WalCheckpoints | null {
  if (filename.protocol === 'file:' && !existsSync(fileURLToPath(filename))) return null;
  let mine: Checkpointer | undefined;
  return {
    wrote() {
      if (mine === undefined) mine = join(path, writer, filename);
    },
    async release() {
      if (mine === undefined || !mine.writers.delete(writer) || mine.writers.size > 0 || !mine.running) return;
      mine.running = false;
      if (byPath.get(path) === mine) byPath.delete(path);
      // Held until the thread has gone: closing waits for its last checkpoint.
      mine.thread.ref();
      mine.thread.postMessage('close');
      await mine.exited;
    },
  };
}

/** `writer` in the checkpoint thread of `path`, started if the file has none running. */
function join(path: string, writer: LocalConnection, filename: URL): Checkpointer {
  let checkpointer = byPath.get(path);
  if (checkpointer === undefined) {
    const thread = new Worker(filename, { workerData: { path, everyMs: EVERY_MS } satisfies WalCheckpointThreadData });
    const started: Checkpointer = { thread, writers: new Set(), running: true, exited: new Promise((resolve) => thread.once('exit', () => resolve())) };
    const stopped = () => {
      if (!started.running) return;
      started.running = false;
      if (byPath.get(path) === started) byPath.delete(path);
      for (const w of started.writers) checkpointOnCommit(w, AUTO_CHECKPOINT_PAGES);
    };
    thread.on('message', (message: WalCheckpointThreadFailure) => {
      if (typeof message === 'object' && message !== null && 'failed' in message) stopped();
    });
    thread.on('error', stopped);
    thread.on('exit', stopped);
    // The store never keeps the process alive (its connections do not either); after the listeners, which ref it.
    thread.unref();
    byPath.set(path, (checkpointer = started));
  }
  checkpointer.writers.add(writer);
  checkpointOnCommit(writer, 0);
  return checkpointer;
}
