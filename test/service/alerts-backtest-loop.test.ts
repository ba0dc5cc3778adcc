/**
 * A year-long alert backtest at 1m (about 525,000 evaluations, seconds of CPU) runs in slices of the event loop: a
 * timer keeps firing while it runs, and its answer is the one the alerts engine gives in one go (transitions,
 * notifications, every series point, the chart).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { backtest, backtestChart, labelsNeeded } from '../../src/alerts/index.js';
import { checkAlertRule, loadAlertLabels, ruleOfRow } from '../../src/service/alerts-rules.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal, turn } from './fixtures.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = newStoreDir('signals-backtest-loop-');
  store = await openTestStore(dir);
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

it('a 364-day backtest at 1m leaves the event loop free and answers what the engine gives in one go', async () => {
  const svc = createSignalsService(store, { now: () => NOW });
  await svc.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  // Labelled traffic spread over the year: refunds in bursts, so the alert pends, fires and resolves several times.
  const spans = [];
  for (let d = 0; d < 360; d += 3) {
    const at = NOW - (364 - d) * DAY;
    for (let k = 0; k < 4; k++) spans.push(...turn({ traceId: `d${d}k${k}`, at: at + k * 60_000, user: d % 30 < 6 ? 'I want a refund' : 'Where is my parcel?' }));
  }
  await svc.ingest(spans);
  const input = { name: 'refund-burst', signal: 'refund-span', metric: 'true_rate', comparison: 'above', threshold: 0.5, window: '1h', every: '1m', for: '5m', min_labels: 1 };
  const window = { since: new Date(NOW - 364 * DAY).toISOString(), until: new Date(NOW).toISOString() };

  // The loop's longest stall while the backtest runs, seen by a 10 ms timer.
  let last = performance.now();
  let longest = 0;
  let beats = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    beats++;
  }, 10);
  const started = performance.now();
  let answer;
  try {
    answer = (await svc.api.backtestRule(input, window)) as { evaluations: number; transitions: { at: string }[]; notifications: unknown[]; series: { at: string }[]; chart: string };
  } finally {
    clearInterval(timer);
  }
  const took = performance.now() - started;
  console.log(`backtest of ${answer.evaluations} evaluations: ${Math.round(took)} ms, longest event-loop stall ${Math.round(longest)} ms over ${beats} timer beats`);
  expect(answer.evaluations).toBe(364 * 1440 + 1);
  // Generous for a busy machine; in one go the loop was held for the whole backtest (seconds).
  expect(longest).toBeLessThan(1000);
  expect(beats).toBeGreaterThan(10);

  // The engine in one go, on the same labels.
  const { rule, signalId } = await checkAlertRule(svc.context, input);
  const resolved = ruleOfRow({ id: '', signalId, name: rule.name, rule, paused: false, createdAt: 0, updatedAt: 0 });
  const since = NOW - 364 * DAY;
  const labels = await loadAlertLabels(store, signalId, labelsNeeded(resolved, since).since, labelsNeeded(resolved, NOW).until);
  const direct = backtest(resolved, labels, since, NOW);
  expect(direct.transitions.length).toBeGreaterThan(6);
  expect(answer.transitions).toEqual(direct.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })));
  expect(answer.notifications.length).toBe(direct.notifications.length);
  expect(answer.series.length).toBe(direct.series.length);
  expect(JSON.stringify(answer.series)).toBe(JSON.stringify(direct.series.map((p) => ({ ...p, at: new Date(p.at).toISOString() }))));
  expect(answer.chart).toBe(backtestChart(direct, resolved, { title: `${resolved.name} on ${resolved.signal}` }));
});
