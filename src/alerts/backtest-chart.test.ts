import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offset, showTransitions } from '../../test/helpers/label-series.js';
import { backtest, MAX_EVALUATIONS } from './backtest.js';
import { backtestChart } from './backtest-chart.js';
import type { AlertLabel } from './metric.js';
import { parseAlertRule } from './rule.js';

// The worked example of docs/alerts.md. Six hours of a binary signal, 10 labels a minute: 1 `yes` in 10 normally,
// 5 in 10 from 2h to 3h30m, and nothing at all from 4h40m to 5h30m.
const T0 = Date.parse('2026-12-01T08:00:00Z');
const labels: AlertLabel[] = [];
for (let m = 0; m < 360; m++) {
  if (m >= 280 && m < 330) continue;
  const yes = m >= 120 && m < 210 ? 5 : 1;
  for (let k = 0; k < 10; k++) labels.push({ labelledAt: T0 + m * 60_000, value: k < yes ? 'yes' : 'no', status: 'labelled' });
}
const rule = parseAlertRule({
  name: 'frustration spike',
  signal: 'frustration',
  metric: 'true_rate',
  comparison: 'above',
  threshold: 0.3,
  window: '30m',
  every: '5m',
  for: '15m',
  cooldown: '1h',
  min_labels: 20,
});
const DOC = new URL('../../docs/alerts-backtest.svg', import.meta.url);

describe('the docs/alerts.md worked example', () => {
  const result = backtest(rule, labels, T0, T0 + 6 * 3_600_000);

  it('pends at 2h15m, fires 15 minutes later, reminds after the 1h cooldown and resolves at 3h45m', () => {
    // At 2h15m the 30-minute window holds 16 incident minutes: (16·5 + 14·1) / 300 = 0.313 > 0.3.
    // At 3h45m it holds 14: (14·5 + 16·1) / 300 = 0.287.
    expect(showTransitions(result.transitions, T0)).toEqual(['2h15m ok→pending 0.313', '2h30m pending→firing 0.5', '3h45m firing→ok 0.287']);
    expect(result.notifications.map((n) => `${offset(n.at, T0)} ${n.kind}${n.repeat ? ' repeat' : ''}`)).toEqual([
      '2h30m firing',
      '3h30m firing repeat',
      '3h45m resolved',
    ]);
    // The gap: at 5h05m the window (4h35m, 5h05m] still holds minutes 4h36m-4h39m (40 labels, rate 0.1);
    // at 5h10m it is empty, and at 5h30m it holds one minute (10 labels < min_labels 20): no data, not 0.
    const at = (o: number) => result.series.find((p) => p.at === T0 + o * 60_000)!;
    expect([305, 310, 330, 335].map((o) => [at(o).labels, at(o).value])).toEqual([
      [40, 0.1],
      [0, null],
      [10, null],
      [60, 0.1],
    ]);
    expect(result.evaluations).toBe(73);
  });

  it('draws the series, the threshold, the bands and one mark per notification', () => {
    const svg = backtestChart(result, rule, { title: 'Backtest: frustration spike (true_rate > 30% over 30m, for 15m)' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<title>firing<\/title>/g)).toHaveLength(1);
    expect(svg.match(/<title>pending<\/title>/g)).toHaveLength(1);
    expect(svg.match(/<title>(firing|resolved)( \(repeat\))? 2026/g)).toHaveLength(3);
    // The no-data gap splits the line in two.
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('threshold 30%');
    if (process.env.UPDATE_DOCS === '1') {
      mkdirSync(new URL('.', DOC), { recursive: true });
      writeFileSync(DOC, svg);
    }
    // The picture in docs/alerts.md is this chart (regenerate with UPDATE_DOCS=1).
    expect(readFileSync(DOC, 'utf8')).toBe(svg);
  });
});

describe('a backtest as long as allowed', () => {
  it('draws MAX_EVALUATIONS points without running out of stack (a year at every 1m was a 500)', () => {
    const every = parseAlertRule({ name: 'year', signal: 'frustration', metric: 'volume', comparison: 'above', threshold: 3, window: '5m', every: '1m' });
    const n = MAX_EVALUATIONS;
    const series = Array.from({ length: n }, (_, i) => ({ at: T0 + i * 60_000, value: i % 7, labels: i % 7, state: 'ok' as const }));
    const long = { ...backtest(every, [], T0, T0 + 60_000), since: T0, until: T0 + n * 60_000, evaluations: n, series };
    const svg = backtestChart(long, every);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
  });
});
