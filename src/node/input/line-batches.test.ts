import { describe, expect, it } from 'vitest';
import { lineBatches } from './line-batches.js';

async function collect(chunks: string[], target: number) {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const batches = [];
  for await (const batch of lineBatches(source(), target)) if (batch.kind === 'lines') batches.push({ first: batch.first, text: batch.bytes.toString() });
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
    for await (const batch of lineBatches(source(), 1)) if (batch.kind === 'lines') out.push(batch.bytes);
    expect(out.map((b) => b.toString())).toEqual(['é😀\n', 'ñ\n']);
  });

  it('gives every batch a buffer of its own, small ones included', async () => {
    async function* source() {
      yield Buffer.from('a\nb\n');
    }
    const sizes = [];
    for await (const batch of lineBatches(source(), 1)) if (batch.kind === 'lines') sizes.push([batch.bytes.byteLength, batch.bytes.buffer.byteLength]);
    expect(sizes).toEqual([[4, 4]]);
  });

  it('yields nothing for empty input', async () => {
    expect(await collect([], 10)).toEqual([]);
  });

  it('drops a line longer than maxLineBytes as it streams, in its place, whatever the chunking', async () => {
    const long = 'x'.repeat(50);
    const text = `a1\n${long}\nb2\n${long}`;
    for (const size of [1, 3, 7, 16, 1000]) {
      async function* source() {
        for (let at = 0; at < text.length; at += size) yield Buffer.from(text.slice(at, at + size));
      }
      const pieces = [];
      for await (const piece of lineBatches(source(), 1000, 20)) pieces.push(piece.kind === 'lines' ? { first: piece.first, text: piece.bytes.toString() } : piece);
      expect(pieces, `chunks of ${size}`).toEqual([
        { first: 1, text: 'a1\n' },
        { kind: 'too-long', line: 2, bytes: 50 },
        { first: 3, text: 'b2\n' },
        { kind: 'too-long', line: 4, bytes: 50 },
      ]);
    }
  });

  it('reads past an endless line (25 MB, limit 1 MB) as one too-long piece', async () => {
    let chunksSeen = 0;
    async function* zeros() {
      for (; chunksSeen < 400; chunksSeen++) yield Buffer.alloc(64 * 1024);
    }
    const pieces = [];
    for await (const piece of lineBatches(zeros(), 1000, 1024 * 1024)) pieces.push(piece);
    expect(pieces).toEqual([{ kind: 'too-long', line: 1, bytes: 400 * 64 * 1024 }]);
  });

  it('gives the whole lines read before a stream error, then the error', async () => {
    async function* broken() {
      yield Buffer.from('a1\nb2\nc');
      throw new Error('unexpected end of file');
    }
    const pieces: unknown[] = [];
    await expect(
      (async () => {
        for await (const piece of lineBatches(broken(), 1 << 20)) pieces.push(piece.kind === 'lines' ? piece.bytes.toString() : piece);
      })(),
    ).rejects.toThrow('unexpected end of file');
    expect(pieces).toEqual(['a1\nb2\n']);
  });
});
