/**
 * Compact label fixtures for alert tests, in the spirit of `promtool test rules` input series:
 * `"1m yes no | 3m yes*2 ? !"` = at 1m one `yes` and one `no`, at 3m two `yes`, one undecided and one error.
 * Offsets are durations from `t0`; `value*N` repeats a label N times.
 */
import type { AlertLabel } from '../../src/alerts/metric.js';
import type { AlertTransition } from '../../src/alerts/state.js';
import { formatDuration, parseDuration } from '../../src/alerts/duration.js';

/** The fixtures' time origin (a multiple of every evaluation interval). */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Parses the notation; throws naming the segment on a bad token. */
export function labelSeries(text: string, t0 = T0): AlertLabel[] {
  const out: AlertLabel[] = [];
  for (const segment of text.split('|')) {
    const [offset, ...tokens] = segment.trim().split(/\s+/);
    const ms = parseDuration(offset);
    if (ms === null) throw new Error(`label series: bad offset ${JSON.stringify(offset)} in "${segment.trim()}"`);
    for (const token of tokens) {
      const m = /^([^*\s]+)(?:\*(\d+))?$/.exec(token);
      if (!m) throw new Error(`label series: bad token ${JSON.stringify(token)} in "${segment.trim()}"`);
      const n = m[2] ? Number(m[2]) : 1;
      for (let i = 0; i < n; i++) {
        if (m[1] === '?') out.push({ labelledAt: t0 + ms, value: null, status: 'undecided' });
        else if (m[1] === '!') out.push({ labelledAt: t0 + ms, value: null, status: 'error' });
        else out.push({ labelledAt: t0 + ms, value: m[1], status: 'labelled' });
      }
    }
  }
  return out;
}

/** Offset of `at` from `t0` as a duration string (`5m`). */
export const offset = (at: number, t0 = T0): string => (at < t0 ? `-${formatDuration(t0 - at)}` : formatDuration(at - t0));

/** `"5m pending→firing 0.667"` (value to 3 decimals, `nodata` for null): exact, readable expectations. */
export function showTransitions(transitions: readonly AlertTransition[], t0 = T0): string[] {
  return transitions.map(
    (t) => `${offset(t.at, t0)} ${t.from}→${t.to} ${t.value === null ? 'nodata' : Number(t.value.toFixed(3))}`,
  );
}
