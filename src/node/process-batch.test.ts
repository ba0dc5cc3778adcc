import { describe, expect, it } from 'vitest';
import type { Batch } from './batch.js';
import { processBatch, rejectionResult } from './process-batch.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function batch(text: string, overrides: Partial<Batch> = {}): Batch {
  return {
    source: 'in.jsonl',
    unit: 'line',
    first: 10,
    bytes: Buffer.from(text),
    settings: { analyzeOptions: {}, keepReports: false },
    stopAtRejection: false,
    ...overrides,
  };
}

const good = (id: number) => JSON.stringify({ id, messages: [{ from: 'human', value: 'I want to talk to a human agent' }] });

describe('processBatch', () => {
  it('returns the output as UTF-8 bytes in a buffer of its own (transferable)', () => {
    const result = processBatch(batch(JSON.stringify({ id: 'é', messages: [] })));
    expect(result.output.byteOffset).toBe(0);
    expect(result.output.buffer.byteLength).toBe(result.output.byteLength);
    expect(text(result.output)).toMatch(/^\{"id":"é","report":/);
  });

  it('skips lines of Unicode White_Space (U+0085, U+3000) and rejects a BOM, as the reference trims lines', () => {
    const result = processBatch(batch(`\u0085\u3000\n\uFEFF${good(1)}\n${good(2)}\n`));
    const lines = text(result.output).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\{"id":null,"error":"line 11: invalid JSON/);
    expect(lines[1]).toMatch(/^\{"id":2,"report":/);
  });

  it('scores good lines, skips blank ones and turns bad ones into numbered error lines', () => {
    const result = processBatch(batch(`${good(1)}\n\n  \r\n{oops\n${good(2)}\r\n`));
    const lines = text(result.output).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]).id).toBe(1);
    expect(JSON.parse(lines[1])).toEqual({ id: null, error: expect.stringMatching(/^line 13: invalid JSON/) });
    expect(JSON.parse(lines[2]).id).toBe(2);
    expect(result).toMatchObject({ scored: 2, rejected: 1, rejections: [{ source: 'in.jsonl', unit: 'line', number: 13, id: null }] });
    expect(result.quality).toEqual({ severe: 2 });
    expect(result.signalTypes).toEqual({ 'interaction.disengagement.escalation': 2 });
  });

  it('stops after the first rejected record when asked (--strict)', () => {
    const result = processBatch(batch(`${good(1)}\n[1]\n${good(2)}`, { stopAtRejection: true }));
    expect(result.scored).toBe(1);
    expect(result.rejected).toBe(1);
    expect(text(result.output).trimEnd().split('\n')).toHaveLength(2);
  });

  it('reads a document batch as one record and numbers item batches as items', () => {
    const document = processBatch(batch(`{\n "id": 5,\n "messages": []\n}`, { unit: 'document', first: 1 }));
    expect(document.scored).toBe(1);
    const items = processBatch(batch('{"id":1,"messages":[]}\n{"id":2}', { unit: 'item', first: 4 }));
    expect(items.rejections[0]).toMatchObject({ unit: 'item', number: 5, id: 2 });
    expect(text(items.output).split('\n')[1]).toBe('{"id":2,"error":"item 5: unrecognized record: expected \\"messages\\", \\"conversations\\", \\"input\\", \\"traj\\", \\"resourceSpans\\", \\"observations\\" or \\"data\\", or an array of messages"}');
  });
});

describe('rejectionResult', () => {
  it('holds one error line', () => {
    const result = rejectionResult('a.json', 'item', 3, 'the JSON array is not closed (truncated input)');
    expect(text(result.output)).toBe('{"id":null,"error":"item 3: the JSON array is not closed (truncated input)"}\n');
    expect(result).toMatchObject({ scored: 0, rejected: 1 });
  });
});
