import { detectFormat } from '../../formats/index.js';
import type { SourcePiece } from './source-piece.js';

/** Items nested this deep are refused, item by item, before any parser recurses into them. */
export const MAX_ITEM_DEPTH = 5000;

const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True for an item that is one message rather than one record: then the whole array is a single conversation. */
function isMessage(item: unknown): boolean {
  return detectFormat(item) === undefined && detectFormat([item]) !== undefined;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isBlank(bytes: Buffer): boolean {
  return bytes.every(isSpace);
}

/** One item's bytes as a value, or why it cannot be read. */
function readItem(bytes: Buffer, depth: number): { value: unknown } | { problem: string } {
  if (depth >= MAX_ITEM_DEPTH) return { problem: `nesting ${depth} levels deep (at most ${MAX_ITEM_DEPTH - 1})` };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: 'invalid UTF-8' };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `invalid JSON (${(error as Error).message})` };
  }
}

/**
 * Streams the items of a top-level JSON array and batches them as one compact JSON item per line, about
 * `targetBytes` per batch. Items are cut out by a byte scanner (strings, escapes and bracket depth; linear, no
 * recursion), so one bad item (invalid JSON or UTF-8, nesting of {@link MAX_ITEM_DEPTH} or more) is an
 * `unreadable` piece in its place and the items after it are still read. An array whose first item is a message
 * is one conversation and comes out whole as a document. Only a structure that never closes ends the input early.
 */
export async function* arrayBatches(chunks: AsyncIterable<Buffer>, targetBytes: number): AsyncGenerator<SourcePiece> {
  let layout = 'undecided' as 'undecided' | 'records' | 'document';
  // Raw bytes are kept only until the first item tells whether the array is one conversation.
  const rawUntilFirstItem: Buffer[] = [];
  let state = 'before' as 'before' | 'inside' | 'after';
  let depth = 0;
  let itemDepth = 0;
  let inString = false;
  let escaped = false;
  let item: Buffer[] = [];
  let itemCount = 0;
  let lines: string[] = [];
  let lineBytes = 0;
  const take = (): SourcePiece => {
    const piece: SourcePiece = { kind: 'records', unit: 'item', first: itemCount - lines.length + 1, bytes: Buffer.from(lines.join('\n')) };
    lines = [];
    lineBytes = 0;
    return piece;
  };
  /** The item just cut out: a line of the batch, or an unreadable piece after the lines before it. */
  function* finishItem(): Generator<SourcePiece> {
    const bytes = Buffer.concat(item);
    item = [];
    const deepest = itemDepth;
    itemDepth = 0;
    if (isBlank(bytes)) return;
    const read = readItem(bytes, deepest);
    if (layout === 'undecided' && 'value' in read) {
      layout = isMessage(read.value) ? 'document' : 'records';
      if (layout === 'records') rawUntilFirstItem.length = 0;
    }
    if (layout === 'document') return;
    if ('problem' in read) {
      if (lines.length > 0) yield take();
      itemCount++;
      yield { kind: 'unreadable', unit: 'item', number: itemCount, message: read.problem };
      return;
    }
    itemCount++;
    const line = JSON.stringify(read.value);
    lines.push(line);
    lineBytes += line.length;
  }
  for await (const chunk of chunks) {
    if (layout !== 'records') rawUntilFirstItem.push(chunk);
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (state === 'before') {
        if (byte === OPEN_SQUARE) {
          state = 'inside';
          depth = 1;
          start = i + 1;
        }
        continue;
      }
      if (state === 'after') {
        if (isSpace(byte)) continue;
        if (layout === 'document') break;
        if (lines.length > 0) yield take();
        yield { kind: 'unreadable', unit: 'item', number: itemCount + 1, message: 'unexpected data after the JSON array' };
        return;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
        continue;
      }
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_SQUARE || byte === OPEN_CURLY) itemDepth = Math.max(itemDepth, ++depth - 1);
      else if (byte === CLOSE_SQUARE || byte === CLOSE_CURLY) {
        if (--depth === 0) {
          item.push(chunk.subarray(start, i));
          yield* finishItem();
          state = 'after';
        }
      } else if (byte === COMMA && depth === 1) {
        item.push(chunk.subarray(start, i));
        yield* finishItem();
        start = i + 1;
      }
    }
    if (state === 'inside') item.push(chunk.subarray(start));
    if (lineBytes >= targetBytes) yield take();
  }
  if (layout === 'document') {
    yield { kind: 'records', unit: 'document', first: 1, bytes: Buffer.concat(rawUntilFirstItem) };
    return;
  }
  if (state === 'inside') {
    // A last item that is whole by itself is still read; what follows it never came.
    if (depth === 1 && !inString) yield* finishItem();
    if (lines.length > 0) yield take();
    yield { kind: 'unreadable', unit: 'item', number: itemCount + 1, message: 'the JSON array is not closed (truncated input)' };
    return;
  }
  if (lines.length > 0) yield take();
}
