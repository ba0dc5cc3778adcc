import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../usage-error.js';
import { peek } from './peek.js';

/** How the records of an input are laid out. */
export type Container = 'lines' | 'array' | 'document';

/** An opened input: its decompressed bytes and how to cut records from them. */
export interface OpenedInput {
  name: string;
  container: Container;
  chunks: AsyncIterable<Buffer>;
}

const CHUNK_BYTES = 256 * 1024;

function isGzip(bytes: Buffer | undefined): boolean {
  return bytes !== undefined && bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** First byte after a UTF-8 byte-order mark that is not JSON whitespace. */
function firstSignificantByte(bytes: Buffer | undefined): number | undefined {
  if (bytes === undefined) return undefined;
  const start = bytes.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  for (const byte of bytes.subarray(start)) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  }
  return undefined;
}

/** True when the first line is a complete JSON value, as in JSONL (a pretty-printed document's first line is not). */
function startsWithJsonLine(first: Buffer): boolean {
  const newline = first.indexOf(0x0a);
  // A first line longer than a whole chunk is no pretty-printed document's.
  if (newline === -1) return true;
  try {
    JSON.parse(first.subarray(0, newline).toString('utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

/**
 * `[` starts a streamed JSON array. A `.json` file starting with `{` is one document (e.g. a pretty-printed OTLP
 * export) unless its first line is complete JSON by itself: then it is JSONL under another name. Anything else is JSONL.
 */
function containerOf(name: string, first: Buffer | undefined): Container {
  const byte = firstSignificantByte(first);
  if (byte === 0x5b) return 'array';
  if (byte === 0x7b && first !== undefined && /\.json(\.gz)?$/i.test(name) && !startsWithJsonLine(first)) return 'document';
  return 'lines';
}

/** Rethrows read and decompression errors as one-line usage errors naming the input. */
async function* readErrorsAsUsageErrors(name: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(code?.startsWith('Z_') ? `${name}: unreadable gzip data (${message})` : `${name}: cannot read (${message})`);
  }
}

async function* counted(chunks: AsyncIterable<Buffer>, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    onBytes(chunk.length);
    yield chunk;
  }
}

function gunzip(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const inflater = createGunzip();
  // Errors of either side reach the consumer through the inflater's async iterator.
  pipeline(Readable.from(chunks), inflater, () => {});
  return inflater;
}

/** Size of a readable regular file, or a usage error naming what is wrong with the path. */
export async function inputSize(name: string): Promise<number> {
  const info = await stat(name).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${name}: no such file`);
  if (!info.isFile()) throw new UsageError(`${name}: not a regular file`);
  return info.size;
}

/**
 * Opens a file (or stdin for `-`) for streaming: gzip is recognized by its magic bytes, the container by the first
 * significant byte. `onBytes` receives the raw (compressed) byte counts as they are read, for progress.
 */
export async function openInput(name: string, onBytes: (bytes: number) => void): Promise<OpenedInput> {
  const raw: AsyncIterable<Buffer> = name === '-' ? process.stdin : createReadStream(name, { highWaterMark: CHUNK_BYTES });
  const rawPeek = await peek(readErrorsAsUsageErrors(name, counted(raw, onBytes)));
  const decoded = isGzip(rawPeek.first) ? readErrorsAsUsageErrors(name, gunzip(rawPeek.chunks)) : rawPeek.chunks;
  const { first, chunks } = await peek(decoded);
  return { name, container: containerOf(name, first), chunks };
}
