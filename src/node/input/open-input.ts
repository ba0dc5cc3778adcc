import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../usage-error.js';
import { peek } from './peek.js';
import { isTau2RunDirectory, tau2RunDocument } from './tau2-run.js';

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
 * The first line opens a pretty-printed object: `{` alone, or `{"key": {` / `{"key": [` (JSON.stringify with an
 * indent, Python's json.dump, jq). A JSONL line cut short looks different (`{"id": "x", "messages": [`).
 */
function opensPrettyObject(first: Buffer): boolean {
  const newline = first.indexOf(0x0a);
  const line = first.subarray(0, newline === -1 ? first.length : newline).toString('utf8').replace(/^\uFEFF/, '').trim();
  return /^\{\s*(?:"(?:[^"\\]|\\.)*"\s*:\s*[[{])?$/.test(line);
}

/**
 * `[` starts a streamed JSON array. Input starting with `{` is one document (e.g. a pretty-printed OTLP export or
 * record, from a file of any name or stdin) when its first line is not complete JSON by itself and, outside `.json`
 * files, opens a pretty-printed object. Anything else is JSONL.
 */
function containerOf(name: string, first: Buffer | undefined): Container {
  const byte = firstSignificantByte(first);
  if (byte === 0x5b) return 'array';
  if (byte !== 0x7b || first === undefined || startsWithJsonLine(first)) return 'lines';
  return /\.json(\.gz)?$/i.test(name) || opensPrettyObject(first) ? 'document' : 'lines';
}

/** Rethrows read and decompression errors as one-line usage errors naming the input. */
async function* readErrorsAsUsageErrors(name: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'Z_BUF_ERROR') throw new UsageError(`${name}: gzip data cut short (${message}); the records before the cut were read`);
    throw new UsageError(code?.startsWith('Z_') ? `${name}: unreadable gzip data (${message})` : `${name}: cannot read (${message})`);
  }
}

async function* counted(chunks: AsyncIterable<Buffer>, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/** Decoded chunks held for the reader before the inflater is paused: bounds memory on any compression ratio. */
const QUEUED_CHUNKS = 8;
/** Bytes per write for the input's last chunk (see gunzip). */
const LAST_CHUNK_PIECE = 8;

/**
 * Gunzips a stream so that nothing decoded is lost to an error: zlib discards its buffered output when it fails
 * (a truncated member fails only at the end), so input is fed by hand, and the end of input is signalled only
 * once everything decoded so far has been taken. Whole records before a cut are therefore still read; the error
 * (cut, trailing garbage, a read error of the file) comes after them.
 */
async function* gunzip(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const inflater = createGunzip();
  const queue: Buffer[] = [];
  let failure: unknown;
  let ended = false;
  // The reader and the feeder each wait here for the other side to move.
  let waiting: Array<() => void> = [];
  const signal = (): void => {
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
  };
  const changed = () => new Promise<void>((resolve) => waiting.push(resolve));
  inflater.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= QUEUED_CHUNKS) inflater.pause();
    signal();
  });
  inflater.on('error', (error) => {
    failure ??= error;
    signal();
  });
  inflater.on('end', () => {
    ended = true;
    signal();
  });
  const feeding = (async () => {
    try {
      const write = (bytes: Buffer) => new Promise<void>((resolve) => inflater.write(bytes, () => resolve()));
      // Each chunk is written once the next one is read, so the last one is known: it goes in small pieces, because
      // zlib also drops what it decoded in the write that hit trailing garbage.
      let held: Buffer | undefined;
      for await (const chunk of chunks) {
        if (failure !== undefined) return;
        if (held !== undefined) await write(held);
        held = chunk;
      }
      for (let at = 0; held !== undefined && at < held.length && failure === undefined; at += LAST_CHUNK_PIECE) {
        await write(held.subarray(at, at + LAST_CHUNK_PIECE));
      }
      while (failure === undefined && (queue.length > 0 || inflater.readableLength > 0)) await changed();
      inflater.end();
    } catch (error) {
      failure ??= error;
      signal();
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        if (queue.length < QUEUED_CHUNKS / 2 && failure === undefined) inflater.resume();
        signal();
        yield chunk;
      } else if (failure !== undefined) throw failure;
      else if (ended) return;
      else {
        inflater.resume();
        await changed();
      }
    }
  } finally {
    // Also when the reader stops early (--strict): the feeder then ends on the destroyed stream.
    inflater.destroy();
    void feeding;
  }
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/** Size of a readable regular file, or a usage error naming what is wrong with the path. */
export async function inputSize(name: string): Promise<number> {
  const info = await stat(name).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${name}: no such file`);
  // A tau2 run directory is read as one document; its size is not known before it is assembled.
  if (info.isDirectory() && (await isTau2RunDirectory(name))) return 0;
  if (!info.isFile()) throw new UsageError(`${name}: not a regular file`);
  return info.size;
}

/**
 * Opens a file (or stdin for `-`; a tau2-bench run directory as one document) for streaming: gzip is recognized by its magic bytes, the container by the first
 * significant byte. `onBytes` receives the raw (compressed) byte counts as they are read, for progress.
 */
export async function openInput(name: string, onBytes: (bytes: number) => void): Promise<OpenedInput> {
  if (name !== '-' && (await isTau2RunDirectory(name))) {
    const document = await tau2RunDocument(name);
    onBytes(document.length);
    return { name, container: 'document', chunks: oneChunk(document) };
  }
  const raw: AsyncIterable<Buffer> = name === '-' ? process.stdin : createReadStream(name, { highWaterMark: CHUNK_BYTES });
  const rawPeek = await peek(readErrorsAsUsageErrors(name, counted(raw, onBytes)));
  const decoded = isGzip(rawPeek.first) ? readErrorsAsUsageErrors(name, gunzip(rawPeek.chunks)) : rawPeek.chunks;
  const { first, chunks } = await peek(decoded);
  return { name, container: containerOf(name, first), chunks };
}
