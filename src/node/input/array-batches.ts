import { JSONParser } from '@streamparser/json';
import { detectFormat } from '../../formats/index.js';
import type { SourcePiece } from './source-piece.js';

/** True for an item that is one message rather than one record: then the whole array is a single conversation. */
function isMessage(item: unknown): boolean {
  return detectFormat(item) === undefined && detectFormat([item]) !== undefined;
}

function isBlank(bytes: Buffer): boolean {
  return bytes.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09);
}

/**
 * Streams the items of a top-level JSON array (`@streamparser/json`, `$.*`, no stack kept) and batches them as
 * one compact JSON item per line, about `targetBytes` per batch. An array whose first item is a message is one
 * conversation and comes out whole as a document. A syntax error ends the input with an `unreadable` piece naming
 * the item it broke.
 */
export async function* arrayBatches(chunks: AsyncIterable<Buffer>, targetBytes: number): AsyncGenerator<SourcePiece> {
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  let layout = 'undecided' as 'undecided' | 'records' | 'document';
  // Raw bytes are kept only until the first item tells whether the array is one conversation.
  const rawUntilFirstItem: Buffer[] = [];
  let parsed: string[] = [];
  let itemCount = 0;
  let lines: string[] = [];
  let lineBytes = 0;
  // A function, not a comparison, because `parser.write` changes `layout` behind the type checker's back.
  const isOneConversation = (): boolean => layout === 'document';
  parser.onValue = ({ value }) => {
    if (layout === 'undecided') {
      layout = isMessage(value) ? 'document' : 'records';
      if (layout === 'records') rawUntilFirstItem.length = 0;
    }
    if (layout === 'records') parsed.push(JSON.stringify(value));
  };
  const absorbParsed = (): void => {
    for (const line of parsed) {
      lines.push(line);
      lineBytes += line.length;
      itemCount++;
    }
    parsed = [];
  };
  const take = (): SourcePiece => {
    const piece: SourcePiece = { kind: 'records', unit: 'item', first: itemCount - lines.length + 1, bytes: Buffer.from(lines.join('\n')) };
    lines = [];
    lineBytes = 0;
    return piece;
  };
  for await (const chunk of chunks) {
    if (layout !== 'records') rawUntilFirstItem.push(chunk);
    if (layout === 'document') continue;
    if (parser.isEnded) {
      if (isBlank(chunk)) continue;
      if (lines.length > 0) yield take();
      yield { kind: 'unreadable', unit: 'item', number: itemCount + 1, message: 'unexpected data after the JSON array' };
      return;
    }
    try {
      parser.write(chunk);
    } catch (error) {
      if (isOneConversation()) continue;
      absorbParsed();
      if (lines.length > 0) yield take();
      yield { kind: 'unreadable', unit: 'item', number: itemCount + 1, message: `invalid JSON (${(error as Error).message})` };
      return;
    }
    absorbParsed();
    if (lineBytes >= targetBytes) yield take();
  }
  if (isOneConversation()) {
    yield { kind: 'records', unit: 'document', first: 1, bytes: Buffer.concat(rawUntilFirstItem) };
    return;
  }
  if (lines.length > 0) yield take();
  if (!parser.isEnded) yield { kind: 'unreadable', unit: 'item', number: itemCount + 1, message: 'the JSON array is not closed (truncated input)' };
}
