import { describe, expect, it } from 'vitest';
import { addBatch, newTotals } from './run-totals.js';

describe('addBatch', () => {
  it('sums counts, buckets and signal types', () => {
    const totals = newTotals(1, 100, 2);
    const batch = { output: new Uint8Array(), rejections: [], conversations: [], worst: [], spans: [] };
    addBatch(totals, { ...batch, scored: 2, rejected: 1, quality: { good: 2 }, signalTypes: { 'execution.loops.retry': 1 }, unreadableSpans: 4, unreadableSpanNames: ['a', 'b', 'c', 'd'] });
    addBatch(totals, { ...batch, scored: 1, rejected: 0, quality: { good: 1, poor: 1 }, signalTypes: { 'execution.loops.retry': 2 }, unreadableSpans: 3, unreadableSpanNames: ['b', 'e', 'f'] });
    expect(totals).toMatchObject({ scored: 3, rejected: 1, quality: { good: 3, poor: 1 }, signalTypes: { 'execution.loops.retry': 3 } });
    // Every unreadable span is counted; the names kept for the summary are the first five distinct ones.
    expect(totals.unreadableSpans).toBe(7);
    expect(totals.unreadableSpanNames).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
