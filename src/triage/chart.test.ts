import { describe, expect, it } from 'vitest';
import { precisionChartSvg } from './chart.js';
import { formatEvalTable } from './eval-table.js';
import { evaluate, type EvalRow } from './evaluate.js';

const rows: EvalRow[] = Array.from({ length: 40 }, (_, i) => ({
  id: i,
  source: i % 2 ? 'x<1>' : 'y',
  failed: i % 3 === 0,
  score: i % 3 === 0 ? 2 : i % 5,
  referenceScore: i % 7,
  signalTypes: i % 3 === 0 ? ['triage.tool_errors'] : [],
}));
const report = evaluate(rows);

describe('precisionChartSvg', () => {
  it('draws one panel per group with three series, axes and a legend, escaping names', () => {
    const svg = precisionChartSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3 * 3);
    expect(svg).toContain('x&lt;1&gt; (n=20)');
    expect(svg).toContain('review budget (share of conversations)');
    for (const label of ['triage', 'reference bucket', 'random']) expect(svg).toContain(`>${label}</text>`);
  });
});

describe('formatEvalTable', () => {
  it('has a row per source, a total row and the signal table', () => {
    const table = formatEvalTable(report, 'review', 'success');
    expect(table).toContain('| **all** | 40 | 14 | 35.0% |');
    expect(table).toContain('| x<1> | 20 |');
    expect(table).toContain('| triage.tool_errors | 14 | 14 | 100.0% | 2.86× |');
  });
});
