import { serialize } from 'node:v8';
import { Piscina } from 'piscina';
import { ApiError } from './errors.js';
import { readTraceBody, type Encoding } from './trace-body.js';
import { announceThreadLoaded } from '../service/pool-threads.js';

/** One body to read. */
export interface TraceReadTask {
  bytes: Uint8Array;
  encoding: Encoding;
}

/** What the first part of a packed answer holds: what the answer says of the export, or the route's error. */
export type TraceReadHead =
  | { spans: number; warnings: ReturnType<typeof readTraceBody>['warnings']; rejected: ReturnType<typeof readTraceBody>['rejected'] }
  | { error: { status: number; code: string; message: string; retryAfterSeconds?: number } };

/** Spans per serialized part: the main thread deserializes one part per turn of its event loop at most. */
export const SPANS_PER_PART = 64;

/**
 * Piscina task of the Node server's trace reader (see `traceReaderPool`): decodes, validates and reads one export
 * body, and answers it packed into one buffer that is moved, not copied: the head (`TraceReadHead`), then the spans
 * in parts of {@link SPANS_PER_PART}, each serialized on its own so the main thread can take them in slices.
 * An `ApiError` (a bad body) is answered as the head; any other error fails the task.
 */
export default function readTraceTask(task: TraceReadTask): unknown {
  const parts: Uint8Array[] = [];
  try {
    const read = readTraceBody(task.bytes, task.encoding);
    parts.push(serialize({ spans: read.spans.length, warnings: read.warnings, rejected: read.rejected } satisfies TraceReadHead));
    for (let i = 0; i < read.spans.length; i += SPANS_PER_PART) parts.push(serialize(read.spans.slice(i, i + SPANS_PER_PART)));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    parts.push(serialize({ error: { status: err.status, code: err.code, message: err.message, retryAfterSeconds: err.retryAfterSeconds } } satisfies TraceReadHead));
  }
  return Piscina.move(pack(parts));
}

/** Parts in one buffer: their count and lengths (uint32, little-endian), then the parts. */
function pack(parts: Uint8Array[]): Uint8Array {
  const header = 4 * (1 + parts.length);
  const out = new Uint8Array(header + parts.reduce((n, p) => n + p.byteLength, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, parts.length, true);
  let at = header;
  parts.forEach((p, k) => {
    view.setUint32(4 * (1 + k), p.byteLength, true);
    out.set(p, at);
    at += p.byteLength;
  });
  return out;
}

/** The parts of a packed answer (views into it). */
export function unpack(packed: Uint8Array): Uint8Array[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const count = view.getUint32(0, true);
  const parts: Uint8Array[] = [];
  let at = 4 * (1 + count);
  for (let k = 0; k < count; k++) {
    const length = view.getUint32(4 * (1 + k), true);
    parts.push(packed.subarray(at, at + length));
    at += length;
  }
  return parts;
}

announceThreadLoaded();
