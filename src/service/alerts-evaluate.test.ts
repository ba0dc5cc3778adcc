import { describe, expect, it } from 'vitest';
import { initialAlertState } from '../alerts/index.js';
import { dueTimes, MAX_CATCH_UP, transitionRows } from './alerts-evaluate.js';

const M = 60_000;
const T = Date.parse('2026-11-30T10:00:00Z');

describe('due evaluation times', () => {
  it('a new alert evaluates at the latest multiple of every, once', () => {
    expect(dueTimes(M, initialAlertState(), T + 42_000)).toEqual([T]);
  });

  it('nothing is due again before the next multiple', () => {
    const state = { ...initialAlertState(), lastEvaluatedAt: T };
    expect(dueTimes(M, state, T + 59_999)).toEqual([]);
    expect(dueTimes(M, state, T + M)).toEqual([T + M]);
  });

  it('late ticks replay the missed multiples, at most MAX_CATCH_UP of the most recent', () => {
    const state = { ...initialAlertState(), lastEvaluatedAt: T };
    expect(dueTimes(10_000, state, T + M + 5_000)).toEqual([1, 2, 3, 4, 5, 6].map((i) => T + i * 10_000));
    const long = dueTimes(M, state, T + 1000 * M);
    expect(long).toHaveLength(MAX_CATCH_UP);
    expect(long[0]).toBe(T + (1000 - MAX_CATCH_UP + 1) * M);
    expect(long.at(-1)).toBe(T + 1000 * M);
  });

  it('a resumed alert starts at the latest multiple after its pause, replaying nothing of the pause', () => {
    const paused = { ...initialAlertState(), state: 'paused' as const, since: T + 20_000, lastEvaluatedAt: T + 20_000 };
    expect(dueTimes(M, paused, T + 50_000)).toEqual([]);
    expect(dueTimes(M, paused, T + 10 * M + 1)).toEqual([T + 10 * M]);
  });
});

describe('transition rows', () => {
  it('derive their id from the step, so a repeated pass stores a transition once', () => {
    const t = { at: T, from: 'ok' as const, to: 'pending' as const, value: 0.6, reason: 'true_rate 0.6 above 0.5' };
    expect(transitionRows('alt_1', [t])).toEqual([
      { id: `alt_1:${T}:ok:pending`, alertId: 'alt_1', at: T, fromState: 'ok', toState: 'pending', value: 0.6, data: { reason: 'true_rate 0.6 above 0.5' } },
    ]);
  });
});
