import { describe, expect, it } from 'vitest';
import { alertLabelsFromRows } from './labels.js';

describe('alertLabelsFromRows', () => {
  it('reads the traffic time and drops superseded labels', () => {
    expect(
      alertLabelsFromRows([
        { at: '2026-12-01T10:00:00.000Z', status: 'labelled', value: 'yes' },
        { at: '2026-12-01T10:01:00Z', status: 'labelled', value: 'no', superseded: true },
        { at: '2026-12-01T10:02:00Z', status: 'error', value: null, superseded: false },
      ]),
    ).toEqual([
      { labelledAt: Date.parse('2026-12-01T10:00:00Z'), status: 'labelled', value: 'yes' },
      { labelledAt: Date.parse('2026-12-01T10:02:00Z'), status: 'error', value: null },
    ]);
  });
  it('names a row with a bad time', () => {
    expect(() => alertLabelsFromRows([{ at: 'yesterday', status: 'labelled', value: 'yes' }])).toThrow('label row 0: "at" is not an ISO time ("yesterday")');
  });
});
