import { describe, expect, it } from 'vitest';
import { describeRejection, recordLocation } from './batch.js';

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
