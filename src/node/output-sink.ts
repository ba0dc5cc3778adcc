import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { prepareOutputPath } from './output-path.js';
import { UsageError } from './usage-error.js';

/** Where report lines go, with back-pressure. */
export interface OutputSink {
  /** Resolves once the stream can take more (honours `write()` returning false); rejects with a UsageError on a write error. */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A write error (full disk, closed pipe) as the one-line error of exit code 2. */
function writeError(name: string, error: NodeJS.ErrnoException): UsageError {
  return new UsageError(`${name}: cannot write (${error.code ?? error.message}${error.code === 'ENOSPC' ? ': no space left on device' : ''})`);
}

function sinkOf(stream: Writable, name: string, end: boolean): OutputSink {
  let failure: UsageError | undefined;
  // Remembered, not thrown: the next write or the close reports it, so the run can stop cleanly.
  const failed = new Promise<never>((_, reject) => {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= writeError(name, error);
      reject(failure);
    });
  });
  failed.catch(() => {});
  return {
    async write(bytes) {
      if (failure) throw failure;
      if (bytes.length > 0 && !stream.write(bytes)) await Promise.race([once(stream, 'drain'), failed]);
      if (failure) throw failure;
    },
    async close() {
      if (failure) throw failure;
      if (!end) {
        // stdout: wait until what was written is flushed (or failed), so a full disk is seen before exit.
        await Promise.race([new Promise<void>((resolve) => stream.write('', () => resolve())), failed]);
        return;
      }
      stream.end();
      await Promise.race([once(stream, 'close'), failed]);
      if (failure) throw failure;
    },
  };
}

/** Ends the process quietly when the reader of stdout goes away (`| head`): what it wanted was written. */
export function exitOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
}

/** A file (parent directories created) or stdout when `path` is undefined. A reader that goes away (`| head`) ends the process quietly. */
export async function openOutput(path: string | undefined): Promise<OutputSink> {
  if (path === undefined) {
    exitOnClosedStdout();
    return sinkOf(process.stdout, 'stdout', false);
  }
  prepareOutputPath(path);
  try {
    const stream = createWriteStream(path);
    await once(stream, 'open');
    return sinkOf(stream, path, true);
  } catch (error) {
    throw new UsageError(`${path}: cannot write (${(error as Error).message})`);
  }
}
