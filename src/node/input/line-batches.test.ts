import { describe, expect, it } from 'vitest';
import { lineBatches } from './line-batches.js';

async function collect(chunks: string[], target: number) {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const batches = [];
  for await (const batch of lineBatches(source(), target)) batches.push({ first: batch.first, text: batch.bytes.toString() });
  return batches;
}

describe('lineBatches', () => {
  it('joins lines split across chunks and numbers each batch by its first line', async () => {
    expect(await collect(['a1\nb', '2\nc3', '\nd4\n', 'e5'], 5)).toEqual([
      { first: 1, text: 'a1\nb2\n' },
      { first: 3, text: 'c3\nd4\n' },
      { first: 5, text: 'e5' },
    ]);
  });

  it('keeps one long line whole and counts blank lines', async () => {
    expect(await collect(['x'.repeat(10), 'y'.repeat(10), '\n\n\nz\n'], 4)).toEqual([
      { first: 1, text: `${'x'.repeat(10)}${'y'.repeat(10)}\n\n\nz\n` },
    ]);
    expect(await collect(['\n\na\n', 'b\n'], 1)).toEqual([
      { first: 1, text: '\n\na\n' },
      { first: 4, text: 'b\n' },
    ]);
  });

  it('splits at the newline byte only, never inside multi-byte characters', async () => {
    const text = 'é😀\nñ\n';
    const bytes = Buffer.from(text);
    async function* source() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const out: Buffer[] = [];
    for await (const batch of lineBatches(source(), 1)) out.push(batch.bytes);
    expect(out.map((b) => b.toString())).toEqual(['é😀\n', 'ñ\n']);
  });

  it('gives every batch a buffer of its own, small ones included', async () => {
    async function* source() {
      yield Buffer.from('a\nb\n');
    }
    const sizes = [];
    for await (const { bytes } of lineBatches(source(), 1)) sizes.push([bytes.byteLength, bytes.buffer.byteLength]);
    expect(sizes).toEqual([[4, 4]]);
  });

  it('yields nothing for empty input', async () => {
    expect(await collect([], 10)).toEqual([]);
  });
});
