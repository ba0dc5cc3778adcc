import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from './usage-error.js';

/** Where report lines go, with back-pressure. */
export interface OutputSink {
  /** Resolves once the stream can take more (honours `write()` returning false). */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

function sinkOf(stream: Writable, end: boolean): OutputSink {
  return {
    async write(bytes) {
      if (bytes.length > 0 && !stream.write(bytes)) await once(stream, 'drain');
    },
    async close() {
      if (!end) return;
      stream.end();
      await once(stream, 'close');
    },
  };
}

/** A file (parent directories created) or stdout when `path` is undefined. A reader that goes away (`| head`) ends the process quietly. */
export async function openOutput(path: string | undefined): Promise<OutputSink> {
  if (path === undefined) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
    return sinkOf(process.stdout, false);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    const stream = createWriteStream(path);
    await once(stream, 'open');
    return sinkOf(stream, true);
  } catch (error) {
    throw new UsageError(`${path}: cannot write (${(error as Error).message})`);
  }
}
