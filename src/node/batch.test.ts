import { describe, expect, it } from 'vitest';
import { describeRejection, keepWorst, recordLocation, type WorstConversation } from './batch.js';

describe('recordLocation', () => {
  it('names lines, items and documents', () => {
    expect(recordLocation('line', 12)).toBe('line 12');
    expect(recordLocation('item', 3)).toBe('item 3');
    expect(recordLocation('document', 1)).toBe('document');
  });
});

describe('describeRejection', () => {
  it('writes file:line for JSONL and spells out items and documents', () => {
    const rejection = { source: 'in.jsonl', number: 12, id: null, message: 'invalid JSON (x)' };
    expect(describeRejection({ ...rejection, unit: 'line' })).toBe('in.jsonl:12: invalid JSON (x)');
    expect(describeRejection({ ...rejection, unit: 'item' })).toBe('in.jsonl: item 12: invalid JSON (x)');
    expect(describeRejection({ ...rejection, unit: 'document' })).toBe('in.jsonl: document: invalid JSON (x)');
  });
});

describe('keepWorst', () => {
  const entry = (id: string, score: number, signals = 0): WorstConversation => ({ id, quality: 'poor', score, signals: signals ? [['t', signals]] : [] });
  it('keeps the three lowest scores, worst first, more signals first on a tie, input order after that', () => {
    const into: WorstConversation[] = [];
    keepWorst(into, [entry('a', 40), entry('b', 10), entry('c', 30, 1), entry('d', 30, 2)]);
    keepWorst(into, [entry('e', 50), entry('f', 10)]);
    expect(into.map((w) => w.id)).toEqual(['b', 'f', 'd']);
  });
});
