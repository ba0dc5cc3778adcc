import { describe, expect, it } from 'vitest';
import { labelSeries, offset, showTransitions, T0 } from '../../test/helpers/label-series.js';
import { backtest, evaluationTimes } from './backtest.js';
import { evaluateAlert, labelsNeeded } from './evaluate.js';
import type { AlertLabel } from './metric.js';
import { type AlertRuleInput, parseAlertRule } from './rule.js';
import { type AlertNotification, type AlertState, type AlertTransition, initialAlertState } from './state.js';

const M = 60_000;
const rule = (over: Partial<AlertRuleInput>) =>
  parseAlertRule({ name: 'a', signal: 's', metric: 'true_rate', comparison: 'above', threshold: 0.5, window: '5m', ...over });
const notes = (ns: AlertNotification[]) => ns.map((n) => `${offset(n.at)} ${n.kind}${n.repeat ? ' (repeat)' : ''}`);

describe('alert state machine (promtool-style fixtures)', () => {
  it('goes pending when the condition first holds and firing once it held for `for`; resolves on no data (policy ok)', () => {
    const r = backtest(rule({ for: '2m' }), labelSeries('1m no | 3m yes*2 | 9m no*3'), T0, T0 + 10 * M);
    expect(showTransitions(r.transitions)).toEqual(['3m ok→pending 0.667', '5m pending→firing 0.667', '8m firing→ok nodata']);
    expect(notes(r.notifications)).toEqual(['5m firing', '8m resolved']);
    expect(r.notifications[0]).toMatchObject({ alert: 'a', signal: 's', metric: 'true_rate', value: 2 / 3, labels: 3, activeSince: T0 + 3 * M });
    expect(r.notifications[1]).toMatchObject({ value: null, labels: 0, activeSince: T0 + 3 * M });
    expect(r.evaluations).toBe(11);
    // Reasons read as people read them: a share as a percent, a count as it is.
    expect(r.transitions[0].reason).toBe('true_rate 66.7% above 50%');
    const counted = backtest(rule({ metric: 'volume', threshold: 2 }), labelSeries('1m no | 3m yes*2 | 9m no*3'), T0, T0 + 10 * M);
    expect(counted.transitions[0].reason).toBe('volume 3 above 2');
  });

  it('restarts the pending period when the condition breaks once', () => {
    const r = backtest(rule({ for: '2m' }), labelSeries('1m yes | 2m no*2 | 3m yes*5'), T0, T0 + 5 * M);
    expect(showTransitions(r.transitions)).toEqual([
      '1m ok→pending 1',
      '2m pending→ok 0.333',
      '3m ok→pending 0.75',
      '5m pending→firing 0.75',
    ]);
  });

  it('repeats a firing notification only after the cooldown, and always notifies the resolution', () => {
    const series = Array.from({ length: 10 }, (_, i) => `${i + 1}m x*3`).join(' | ');
    const r = backtest(rule({ metric: 'volume', threshold: 2, cooldown: '3m' }), labelSeries(series), T0, T0 + 16 * M);
    expect(showTransitions(r.transitions)).toEqual(['1m ok→firing 3', '15m firing→ok 0']);
    expect(notes(r.notifications)).toEqual([
      '1m firing',
      '4m firing (repeat)',
      '7m firing (repeat)',
      '10m firing (repeat)',
      '13m firing (repeat)',
      '15m resolved',
    ]);
  });

  describe('no data', () => {
    const labels = labelSeries('1m yes*3 | 8m yes');
    const run = (no_data: 'ok' | 'keep_state' | 'alert') =>
      showTransitions(backtest(rule({ min_labels: 3, no_data }), labels, T0, T0 + 10 * M).transitions);
    it('ok: no data resolves', () => expect(run('ok')).toEqual(['1m ok→firing 1', '6m firing→ok nodata']));
    it('keep_state: no data changes nothing', () => expect(run('keep_state')).toEqual(['1m ok→firing 1']));
    it('alert: no data fires', () => expect(run('alert')).toEqual(['0s ok→firing nodata']));

    it('below min_labels is no data, never 0: a 0/0 true rate does not fire `below`', () => {
      const r = backtest(rule({ comparison: 'below', threshold: 0.5, min_labels: 0 }), [], T0, T0 + 10 * M);
      expect(r.transitions).toEqual([]);
      expect(r.series.every((p) => p.value === null)).toBe(true);
      const few = backtest(rule({ comparison: 'below', min_labels: 5 }), labelSeries('1m no*4'), T0, T0 + 3 * M);
      expect(few.transitions).toEqual([]);
    });

    it('counts only labelled rows: undecided and error are not labels', () => {
      const r = backtest(rule({ min_labels: 2 }), labelSeries('1m yes ? ! ?'), T0, T0 + 2 * M);
      expect(r.series.map((p) => [p.labels, p.value])).toEqual([
        [0, null],
        [1, null],
        [1, null],
      ]);
    });
  });

  it('change compares with the prior window of equal length; a prior 0 is no data', () => {
    const r = backtest(rule({ metric: 'volume', comparison: 'change', threshold: 100 }), labelSeries('1m x*2 | 6m x*5'), T0 + 5 * M, T0 + 7 * M);
    expect(r.series.map((p) => p.value)).toEqual([null, 150, 150]);
    expect(showTransitions(r.transitions)).toEqual(['6m ok→firing 150']);
    // A fall: threshold -50 fires when the metric drops by more than half.
    const fall = backtest(rule({ metric: 'volume', comparison: 'change', threshold: -50 }), labelSeries('1m x*5 | 6m x*2'), T0 + 6 * M, T0 + 6 * M);
    expect(showTransitions(fall.transitions)).toEqual(['6m ok→firing -60']);
  });

  it('value_count and value_share count one label value', () => {
    const labels = labelSeries('1m positive negative*3 neutral');
    const share = backtest(rule({ metric: 'value_share', value: 'negative', threshold: 0.5 }), labels, T0 + M, T0 + M);
    expect(share.series[0].value).toBe(0.6);
    expect(showTransitions(share.transitions)).toEqual(['1m ok→firing 0.6']);
    const count = backtest(rule({ metric: 'value_count', value: 'negative', comparison: 'below', threshold: 3 }), labels, T0 + M, T0 + M);
    expect(count.series[0].value).toBe(3);
    expect(count.transitions).toEqual([]);
  });

  it('evaluation_delay shifts the window back for late labels', () => {
    const labels = labelSeries('3m x*3');
    const now = backtest(rule({ metric: 'volume', threshold: 2 }), labels, T0, T0 + 6 * M);
    const late = backtest(rule({ metric: 'volume', threshold: 2, evaluation_delay: '2m' }), labels, T0, T0 + 6 * M);
    expect(showTransitions(now.transitions)).toEqual(['3m ok→firing 3']);
    expect(showTransitions(late.transitions)).toEqual(['5m ok→firing 3']);
  });

  it('evaluates at multiples of `every`', () => {
    expect(evaluationTimes(5 * M, T0 + 1, T0 + 16 * M).map((t) => offset(t))).toEqual(['5m', '10m', '15m']);
    const r = backtest(rule({ every: '5m', for: '5m' }), labelSeries('1m yes'), T0, T0 + 6 * M);
    expect(showTransitions(r.transitions)).toEqual(['5m ok→pending 1']);
  });

  it('pausing silences the alert without resolving it; resuming evaluates from ok', () => {
    const r = rule({});
    const labels = labelSeries('1m yes*2');
    let state: AlertState = initialAlertState();
    const seen: AlertTransition[] = [];
    const sent: AlertNotification[] = [];
    for (const [t, paused] of [[1, false], [2, true], [3, true], [4, false]] as const) {
      const e = evaluateAlert(r, state, labels, T0 + t * M, { paused });
      state = e.state;
      seen.push(...e.transitions);
      sent.push(...e.notifications);
    }
    expect(showTransitions(seen)).toEqual(['1m ok→firing 1', '2m firing→paused nodata', '4m paused→firing 1']);
    expect(notes(sent)).toEqual(['1m firing', '4m firing']);
    // The state is plain JSON.
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

/** A deterministic label history: bursts of yes/no with quiet gaps (mulberry32). */
function history(seed: number, minutes: number): AlertLabel[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: AlertLabel[] = [];
  let p = 0.3;
  for (let s = 0; s < minutes * 60; s += 7) {
    if (rand() < 0.02) p = rand();
    if (rand() < 0.35) continue;
    const r = rand();
    out.push({
      labelledAt: T0 + s * 1000,
      value: rand() < p ? 'yes' : 'no',
      status: r < 0.05 ? 'undecided' : r < 0.07 ? 'error' : 'labelled',
    });
  }
  return out;
}

describe('backtest equals the live evaluator on one label history', () => {
  const rules: Array<Partial<AlertRuleInput>> = [
    { for: '5m', cooldown: '20m', min_labels: 10 },
    { comparison: 'below', threshold: 0.2, for: '3m', no_data: 'alert', min_labels: 15 },
    { comparison: 'change', threshold: 50, window: '10m', no_data: 'keep_state', cooldown: '15m', min_labels: 5 },
    { metric: 'value_share', value: 'no', threshold: 0.6, every: '2m', evaluation_delay: '3m', for: '4m' },
  ];
  for (const over of rules) {
    it(JSON.stringify(over), () => {
      const r = rule(over);
      const labels = history(7, 8 * 60);
      const since = T0 + 30 * M;
      const until = T0 + 8 * 60 * M;
      const replay = backtest(r, labels, since, until);

      // The live path: at each tick, load the labels the store would return for the range, evaluate, keep state.
      let state = initialAlertState();
      const transitions: AlertTransition[] = [];
      const notifications: AlertNotification[] = [];
      for (let t = since; t <= until; t += r.everyMs) {
        const range = labelsNeeded(r, t);
        const loaded = labels.filter((l) => l.labelledAt > range.since && l.labelledAt <= range.until);
        const e = evaluateAlert(r, state, loaded, t);
        state = e.state;
        transitions.push(...e.transitions);
        notifications.push(...e.notifications);
      }
      expect(replay.transitions.length).toBeGreaterThan(2);
      expect(replay.transitions).toEqual(transitions);
      expect(replay.notifications).toEqual(notifications);
      expect(replay.state).toEqual(state);
    });
  }
});
