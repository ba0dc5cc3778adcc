import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { inputSize, openInput } from './open-input.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'open-input-'));
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function open(path: string) {
  let rawBytes = 0;
  const input = await openInput(path, (bytes) => {
    rawBytes += bytes;
  });
  let text = '';
  for await (const chunk of input.chunks) text += chunk.toString('utf8');
  return { container: input.container, text, rawBytes };
}

describe('openInput', () => {
  it('tells JSONL, arrays and documents apart by the first significant byte and the name', async () => {
    expect((await open(file('a.jsonl', '{"id":1}\n{"id":2}\n'))).container).toBe('lines');
    expect((await open(file('b.json', ' \n [{"id":1}]'))).container).toBe('array');
    expect((await open(file('c.json', '{\n  "resourceSpans": []\n}\n'))).container).toBe('document');
    expect((await open(file('d.json', '\uFEFF{"id":1}\n{"id":2}\n'))).container).toBe('lines');
    // A pretty-printed object is one document whatever the name (issue 15); a JSONL line cut short is not one.
    expect((await open(file('e.jsonl', '{\n"id": 1}\n'))).container).toBe('document');
    expect((await open(file('e2.txt', '{"conversation": {\n"id": 1}}\n'))).container).toBe('document');
    expect((await open(file('e3.jsonl', '{"id": "x", "messages": [\n{"id":2}\n'))).container).toBe('lines');
    expect((await open(file('empty.jsonl', ''))).container).toBe('lines');
  });

  it('decompresses gzip found by its magic bytes and counts the compressed bytes read', async () => {
    const compressed = gzipSync('{\n  "resourceSpans": []\n}\n');
    const opened = await open(file('f.data.json.gz', compressed));
    expect(opened).toEqual({ container: 'document', text: '{\n  "resourceSpans": []\n}\n', rawBytes: compressed.length });
  });

  it('turns corrupt gzip into a one-line usage error', async () => {
    const path = file('g.jsonl.gz', Buffer.concat([gzipSync('{"id":1}\n'.repeat(1000)).subarray(0, 40), Buffer.alloc(40, 1)]));
    await expect(open(path)).rejects.toThrow(UsageError);
    await expect(open(path)).rejects.toThrow(/g\.jsonl\.gz: (unreadable gzip data|gzip data cut short) \(/);
  });
});

describe('inputSize', () => {
  it('gives the size of a file and a usage error for anything else', async () => {
    expect(await inputSize(file('h.jsonl', '12345'))).toBe(5);
    await expect(inputSize(join(dir, 'missing.jsonl'))).rejects.toThrow(`${join(dir, 'missing.jsonl')}: no such file`);
    await expect(inputSize(dir)).rejects.toThrow(`${dir}: not a regular file`);
  });
});
