import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from './read-source.js';

async function pieces(name: string, content: string) {
  const path = join(mkdtempSync(join(tmpdir(), 'read-source-')), name);
  writeFileSync(path, content);
  const out = [];
  for await (const piece of readSource(path, 1 << 20, () => {})) out.push(piece.kind === 'records' ? { ...piece, bytes: piece.bytes.toString() } : piece);
  return out;
}

describe('readSource', () => {
  it('reads JSONL as line batches', async () => {
    expect(await pieces('a.jsonl', '{"id":1}\n\n{"id":2}\n')).toEqual([{ kind: 'records', unit: 'line', first: 1, bytes: '{"id":1}\n\n{"id":2}\n' }]);
  });

  it('reads a JSON array item by item', async () => {
    expect(await pieces('b.json', '[{"id": 1}, {"id": 2}]')).toEqual([{ kind: 'records', unit: 'item', first: 1, bytes: '{"id":1}\n{"id":2}' }]);
  });

  it('reads a pretty-printed JSON document whole', async () => {
    const document = '{\n  "resourceSpans": []\n}\n';
    expect(await pieces('c.json', document)).toEqual([{ kind: 'records', unit: 'document', first: 1, bytes: document }]);
  });
});
