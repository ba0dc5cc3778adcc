import { describe, expect, it } from 'vitest';
import { evaluate, type EvalRow } from './evaluate.js';

// 20 conversations, 5 failed. Triage puts two failures on top; the baseline puts them last.
const rows: EvalRow[] = Array.from({ length: 20 }, (_, i) => ({
  id: `c${i}`,
  source: i < 10 ? 'a' : 'b',
  failed: i % 4 === 0,
  score: i % 4 === 0 ? 10 - i : -i,
  referenceScore: i % 4 === 0 ? -100 : 0,
  signalTypes: i % 4 === 0 ? ['execution.loops.retry'] : i % 5 === 0 ? ['execution.loops.retry', 'triage.pushback'] : [],
}));

describe('evaluate', () => {
  const report = evaluate(rows);

  it('computes the headline figures on a hand-made case', () => {
    expect(report).toMatchObject({ n: 20, failures: 5, base_rate: 0.25, k: 2, precision_at_10: 1, lift: 4 });
    // Failures score 10, 6, 2, -2, -6; successes -1 … -19 except multiples of 4.
    // 10, 6, 2 beat all 15 successes; -2 beats 13 and ties -2; -6 beats 10 and ties -6: (45 + 13.5 + 10.5) / 75.
    expect(report.auroc).toBe(0.92);
    expect(report.reference).toMatchObject({ auroc: 0, precision_at_10: 0, lift: 0 });
    expect(report.random_precision_at_10).toBe(0.25);
  });

  it('splits by source and tabulates failure rates per signal type', () => {
    expect(Object.keys(report.by_source)).toEqual(['a', 'b']);
    expect(report.by_source.a).toMatchObject({ n: 10, failures: 3 });
    expect(report.signal_types).toEqual([
      { type: 'execution.loops.retry', conversations: 8, failures: 5, failure_rate: 0.625, lift: 2.5 },
      { type: 'triage.pushback', conversations: 3, failures: 0, failure_rate: 0, lift: 0 },
    ]);
  });

  it('draws a precision curve that ends at the base rate for every ranking', () => {
    const last = report.curve[report.curve.length - 1];
    expect(last).toEqual({ budget: 1, triage: 0.25, reference: 0.25, random: 0.25 });
    expect(report.curve[0]).toMatchObject({ budget: 0.05, triage: 1, reference: 0 });
  });
});
