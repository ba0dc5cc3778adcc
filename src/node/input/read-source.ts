import { arrayBatches } from './array-batches.js';
import { lineBatches } from './line-batches.js';
import { openInput } from './open-input.js';
import type { SourcePiece } from './source-piece.js';

async function* wholeDocument(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourcePiece> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  yield { kind: 'records', unit: 'document', first: 1, bytes: Buffer.concat(parts) };
}

async function* lineRecords(chunks: AsyncIterable<Buffer>, targetBytes: number, maxLineBytes: number): AsyncGenerator<SourcePiece> {
  for await (const piece of lineBatches(chunks, targetBytes, maxLineBytes)) {
    if (piece.kind === 'lines') yield { kind: 'records', unit: 'line', first: piece.first, bytes: piece.bytes };
    else yield { kind: 'unreadable', unit: 'line', number: piece.line, message: `line longer than ${maxLineBytes} bytes (--max-line-bytes), not read` };
  }
}

/**
 * Reads one input (file or `-`) as a sequence of record batches of about `targetBytes`: JSONL line by line, a JSON
 * array item by item, a single JSON document whole. Memory stays bounded by the batch size (and `maxLineBytes` for
 * one line) except for a single document, which is one record anyway.
 */
export async function* readSource(
  name: string,
  targetBytes: number,
  onBytes: (bytes: number) => void,
  maxLineBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<SourcePiece> {
  const input = await openInput(name, onBytes);
  if (input.container === 'array') yield* arrayBatches(input.chunks, targetBytes);
  else if (input.container === 'document') yield* wholeDocument(input.chunks);
  else yield* lineRecords(input.chunks, targetBytes, maxLineBytes);
}
