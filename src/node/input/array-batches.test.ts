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

  it('ends with an unreadable piece at the item where the syntax breaks', async () => {
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
});
