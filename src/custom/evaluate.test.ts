import { describe, expect, it } from 'vitest';
import { parseDefinition } from './config.js';
import { labelMapping } from './eval-labels.js';
import { evaluateVerdicts, formatEvalReport } from './evaluate.js';
import type { Verdict } from './types.js';

const v = (label: string | null, status: Verdict['status'] = 'labelled'): Verdict => ({
  status,
  label,
  explanation: '',
  judge: 'rules',
  cost: { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 },
});

describe('evaluateVerdicts', () => {
  it('computes the confusion matrix, accuracy, precision/recall and macro-F1, undecided and error apart', () => {
    const items = [
      ...Array.from({ length: 6 }, () => ({ expected: 'yes', verdict: v('yes') })),
      ...Array.from({ length: 2 }, () => ({ expected: 'yes', verdict: v('no') })),
      ...Array.from({ length: 1 }, () => ({ expected: 'no', verdict: v('yes') })),
      ...Array.from({ length: 3 }, () => ({ expected: 'no', verdict: v('no') })),
      { expected: 'no', verdict: v(null, 'undecided') },
      { expected: 'yes', verdict: v(null, 'error') },
    ];
    const r = evaluateVerdicts(items, ['yes', 'no']);
    expect(r.n).toBe(12);
    expect(r.undecided).toBe(1);
    expect(r.error).toBe(1);
    expect(r.confusion.yes).toEqual({ yes: 6, no: 2, undecided: 0, error: 1 });
    expect(r.confusion.no).toEqual({ yes: 1, no: 3, undecided: 1, error: 0 });
    expect(r.accuracy).toBe(0.75); // 9 of 12 decided
    // Over the decided items: yes P = 6/7, R = 6/8, F1 = 0.8; no P = 3/5, R = 3/4, F1 = 2/3.
    expect(r.per_label.yes).toEqual({ precision: 0.8571, recall: 0.75, f1: 0.8, support: 8 });
    expect(r.per_label.no).toEqual({ precision: 0.6, recall: 0.75, f1: 0.6667, support: 4 });
    expect(r.macro_f1).toBe(0.7333);
    // 8 of the 12 decided items expect yes.
    expect(r.baseline).toEqual({ label: 'yes', accuracy: 0.6667, macro_f1: 0.4 });
    expect(formatEvalReport(r, 't')).toContain('| yes | 6 | 2 | 0 | 1 |');
  });
});

describe('labelMapping', () => {
  const outcome = parseDefinition({
    name: 'o',
    scope: 'session',
    type: 'labels',
    labels: [{ name: 'completed' }, { name: 'failed' }, { name: 'abandoned' }],
    prompt: 'p',
    rules: { when: [{ label: 'failed', if: { expr: 'tool_errors > 0' } }], default: 'completed' },
  });
  it('maps booleans to yes/no for binary signals and skips other values', () => {
    const m = labelMapping(parseDefinition({ name: 'b', scope: 'span', type: 'binary', prompt: 'p', rules: { when: [{ label: 'yes', if: { expr: 'turns > 9' } }], default: 'no' } }));
    expect([true, false, 'true', null, undefined, 'x'].map((x) => m.expected(x))).toEqual(['yes', 'no', 'yes', undefined, undefined, undefined]);
  });
  it('projects labels onto a boolean field through --positive', () => {
    const m = labelMapping(outcome, ['completed']);
    expect(m.labels).toEqual(['completed', 'not completed']);
    expect(m.expected(false)).toBe('not completed');
    expect(m.verdict(v('abandoned')).label).toBe('not completed');
    expect(m.verdict(v('completed')).label).toBe('completed');
    expect(m.verdict(v(null, 'undecided')).status).toBe('undecided');
    expect(() => labelMapping(outcome, ['done'])).toThrow(/"done" is not a label of o/);
  });
});
