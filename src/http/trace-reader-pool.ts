import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deserialize } from 'node:v8';
import { Piscina } from 'piscina';
import type { CapturedSpan } from '../formats/captured-span.js';
import { slicer } from '../service/slices.js';
import { ApiError, type ErrorCode } from './errors.js';
import { readTraceBody, type Encoding, type ReadTraceBody, type TraceBodyReader } from './trace-body.js';
import { unpack, type TraceReadHead, type TraceReadTask } from './trace-read-worker.js';
import { destroyWhenLoaded } from '../service/pool-threads.js';

/** Where the compiled worker entry lives (next to this module in dist/). */
export const TRACE_READ_WORKER_URL = new URL('./trace-read-worker.js', import.meta.url);

/** Settings of the trace reader. */
export interface TraceReaderOptions {
  /** The worker entry (default: `trace-read-worker.js` beside this module). */
  filename?: URL;
  /** Hears a task that failed as a whole (a thread that crashed): that body is then read on this thread. */
  onFallback?: (err: unknown) => void;
}

/**
 * Reads `POST /v1/traces` bodies on a worker thread: decoding, validation and reading the spans of a multi-MB export
 * cost the event loop hundreds of milliseconds, during which health checks and dashboard reads waited. The spans come
 * back serialized in parts, taken with a turn of the event loop every 10 ms; answers and errors are those of
 * `readTraceBody` on this thread, which also reads a body whose task failed as a whole.
 */
export function traceReaderPool(options: TraceReaderOptions = {}): TraceBodyReader {
  const pool = new Piscina<TraceReadTask, Uint8Array>({
    filename: (options.filename ?? TRACE_READ_WORKER_URL).href,
    minThreads: 1,
    maxThreads: 1,
  });
  return {
    async read(bytes: Uint8Array, encoding: Encoding): Promise<ReadTraceBody> {
      let packed: Uint8Array;
      try {
        packed = await pool.run({ bytes, encoding });
      } catch (err) {
        options.onFallback?.(err);
        return readTraceBody(bytes, encoding);
      }
      const [first, ...rest] = unpack(packed);
      const head = deserialize(first) as TraceReadHead;
      if ('error' in head) throw new ApiError(head.error.status as ApiError['status'], head.error.code as ErrorCode, head.error.message, head.error.retryAfterSeconds);
      const spans: CapturedSpan[] = [];
      const slice = slicer();
      for (const part of rest) {
        await slice.tick();
        for (const span of deserialize(part) as CapturedSpan[]) spans.push(span);
      }
      return { spans, warnings: head.warnings, rejected: head.rejected };
    },
    close: destroyWhenLoaded(pool),
  };
}

/** True when the compiled worker entry exists (running from dist/, not from the TypeScript sources under a test runner). */
export function traceReadWorkerBuilt(filename: URL = TRACE_READ_WORKER_URL): boolean {
  return existsSync(fileURLToPath(filename));
}
