import { describe, expect, it } from 'vitest';
import { arrayBatches } from './array-batches.js';

async function collect(texts: string[], target = 1) {
  async function* chunks() {
    for (const text of texts) yield Buffer.from(text);
  }
  const pieces = [];
  for await (const piece of arrayBatches(chunks(), target)) {
    pieces.push(piece.kind === 'records' ? { ...piece, bytes: piece.bytes.toString() } : piece);
  }
  return pieces;
}

describe('arrayBatches', () => {
  it('streams records one compact item per line, numbered from 1', async () => {
    const pieces = await collect(['[ {"id": 1, "messages": []},\n', ' {"id": 2, "messages": []}, {"id"', ': 3, "messages": []} ]\n'], 30);
    expect(pieces).toEqual([
      { kind: 'records', unit: 'item', first: 1, bytes: '{"id":1,"messages":[]}\n{"id":2,"messages":[]}' },
      { kind: 'records', unit: 'item', first: 3, bytes: '{"id":3,"messages":[]}' },
    ]);
  });

  it('keeps an array of messages whole, as one document', async () => {
    const text = '[{"role":"user","content":"hi"},\n{"role":"assistant","content":"hello"}]';
    expect(await collect([text.slice(0, 10), text.slice(10)])).toEqual([{ kind: 'records', unit: 'document', first: 1, bytes: text }]);
  });

  it('gives an unreadable piece at the item where the syntax breaks', async () => {
    const pieces = await collect(['[{"id":1,"messages":[]}, {"id":2,"messages":[]}, {"id": 3,,}]'], 1000);
    expect(pieces[0]).toEqual({ kind: 'records', unit: 'item', first: 1, bytes: '{"id":1,"messages":[]}\n{"id":2,"messages":[]}' });
    expect(pieces[1]).toMatchObject({ kind: 'unreadable', unit: 'item', number: 3 });
    expect((pieces[1] as { message: string }).message).toMatch(/^invalid JSON \(/);
  });

  it('reports a truncated array and data after the array', async () => {
    expect(await collect(['[{"id":1,"messages":[]}'])).toEqual([
      { kind: 'records', unit: 'item', first: 1, bytes: '{"id":1,"messages":[]}' },
      { kind: 'unreadable', unit: 'item', number: 2, message: 'the JSON array is not closed (truncated input)' },
    ]);
    expect((await collect(['[]', '\n', 'x']))).toEqual([{ kind: 'unreadable', unit: 'item', number: 1, message: 'unexpected data after the JSON array' }]);
  });

  it('rejects an item with invalid UTF-8 or nesting of 5000 levels, and reads on', async () => {
    const good = (id: number) => `{"id":${id},"messages":[]}`;
    const deep = `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    async function* chunks() {
      yield Buffer.from(`[${good(1)}, {"id": "`);
      yield Buffer.from([0xff, 0xfe]);
      yield Buffer.from(`"}, ${good(3)}, ${deep}, ${good(5)}, {"s": "a string with ] and , and \\" inside"}]`);
    }
    const pieces = [];
    for await (const piece of arrayBatches(chunks(), 1 << 20)) pieces.push(piece.kind === 'records' ? { ...piece, bytes: piece.bytes.toString() } : piece);
    expect(pieces).toEqual([
      { kind: 'records', unit: 'item', first: 1, bytes: good(1) },
      { kind: 'unreadable', unit: 'item', number: 2, message: 'invalid UTF-8' },
      { kind: 'records', unit: 'item', first: 3, bytes: good(3) },
      { kind: 'unreadable', unit: 'item', number: 4, message: 'nesting 5001 levels deep (at most 4999)' },
      { kind: 'records', unit: 'item', first: 5, bytes: `${good(5)}\n{"s":"a string with ] and , and \\" inside"}` },
    ]);
  });
});
