/**
 * A year-long alert backtest at 1m (about 525,000 evaluations, seconds of CPU) runs in slices of the event loop: a
 * timer keeps firing while it runs, and its answer is the one the alerts engine gives in one go (transitions,
 * notifications, the chart), with the series merged into at most 1,000 points so the answer stays small. A backtest
 * with more transitions than an answer lists gives the first ones, exact totals and the cursor of the next part, and
 * the parts asked from it add up to the replay's whole lists.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { backtest, backtestChart, labelsNeeded, type SeriesPoint } from '../../src/alerts/index.js';
import { listedPart } from '../../src/service/alerts-backtest.js';
import { checkAlertRule, loadAlertLabels, ruleOfRow } from '../../src/service/alerts-rules.js';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
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
    answer = (await svc.api.backtestRule(input, window)) as Answer;
  } finally {
    clearInterval(timer);
  }
  const took = performance.now() - started;
  const writing = performance.now();
  const bytes = JSON.stringify(answer).length;
  const wrote = performance.now() - writing;
  console.log(`backtest of ${answer.evaluations} evaluations: ${Math.round(took)} ms, longest event-loop stall ${Math.round(longest)} ms over ${beats} timer beats; answer ${bytes} bytes of JSON, written in ${Math.round(wrote)} ms`);
  // The answer a client gets stays small: a year at 1m was 37 MB with one series point per evaluation.
  expect(bytes).toBeLessThan(1_000_000);
  expect(answer.evaluations).toBe(364 * 1440 + 1);
  // Generous for a busy machine; in one go the loop was held for the whole backtest (seconds).
  expect(longest).toBeLessThan(1000);
  expect(beats).toBeGreaterThan(10);

  // The engine in one go, on the same labels.
  const { resolved, direct } = await engineBacktest(svc, input, NOW - 364 * DAY);
  expect(direct.transitions.length).toBeGreaterThan(6);
  expect(answer.transitions).toEqual(direct.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })));
  expect([answer.transitionsTotal, answer.truncated]).toEqual([direct.transitions.length, false]);
  expect(answer.fired).toBe(direct.transitions.filter((t) => t.to === 'firing').length);
  expect(answer.notifications.length).toBe(direct.notifications.length);
  // The series: buckets of consecutive evaluations, each with the range of the engine's values and its worst state.
  const every = Math.ceil(direct.series.length / 1000);
  expect(answer.seriesEvery).toBe(every);
  expect(answer.series.length).toBe(Math.ceil(direct.series.length / every));
  expect(answer.series.length).toBeLessThanOrEqual(1000);
  expectBuckets(answer.series, direct.series, every);
  const chart = backtestChart(direct, resolved, { title: `${resolved.name} on ${resolved.signal}` });
  expect(answer.chart).toBe(chart);
  // One stroke per pixel column at most, not one point per evaluation.
  const points = (chart.match(/<polyline points="([^"]*)"/g) ?? []).reduce((n, line) => n + line.split(' ').length - 1, 0);
  expect(points).toBeLessThan(2 * 720);
  expect(chart.length).toBeLessThan(200_000);
});

/**
 * A service whose store holds one refund every 20 minutes for 9 days, and an alert on any label in 5 minutes: it fires
 * at each and resolves 5 minutes later (1,240 transitions and 1,240 notifications, more than an answer lists).
 */
async function everyRefund() {
  const svc = createSignalsService(store, { now: () => NOW });
  await svc.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  const spans = [];
  for (let k = 0; k < 620; k++) spans.push(...turn({ traceId: `t${k}`, at: NOW - 9 * DAY + k * 20 * 60_000, user: 'I want a refund' }));
  await svc.ingest(spans);
  return { svc, input: { name: 'every-refund', signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', every: '1m' } };
}

it('lists the first 1,000 transitions and notifications of a backtest with more, with exact totals and truncated', async () => {
  const { svc, input } = await everyRefund();
  const window = { since: new Date(NOW - 9 * DAY).toISOString(), until: new Date(NOW).toISOString() };
  const answer = (await svc.api.backtestRule(input, window)) as Answer;

  const { direct } = await engineBacktest(svc, input, NOW - 9 * DAY);
  expect(direct.transitions.length).toBeGreaterThan(1200);
  expect(answer.truncated).toBe(true);
  expect([answer.evaluations, answer.transitionsTotal, answer.notificationsTotal]).toEqual([direct.evaluations, direct.transitions.length, direct.notifications.length]);
  expect([answer.fired, answer.resolved]).toEqual([620, 620]);
  expect(answer.transitions).toEqual(direct.transitions.slice(0, 1000).map((t) => ({ ...t, at: new Date(t.at).toISOString() })));
  expect(answer.notifications).toHaveLength(1000);
  expect(answer.notifications[999]).toMatchObject({ at: new Date(direct.notifications[999].at).toISOString(), kind: direct.notifications[999].kind });
  expect(answer.state).toBe(direct.state.state);
  const every = Math.ceil(direct.series.length / 1000);
  expectBuckets(answer.series, direct.series, every);
});

it('gives the transitions and notifications left off, a part at a time from nextCursor, as one replay of the window has them', async () => {
  const { svc, input } = await everyRefund();
  // A duration ago: the answer's since and until are the times a later part must be asked with.
  const first = (await svc.api.backtestRule(input, { since: '9d', until: new Date(NOW).toISOString() })) as Answer;
  const window = { since: first.since, until: first.until };
  const { direct } = await engineBacktest(svc, input, NOW - 9 * DAY);
  const iso = (at: number) => new Date(at).toISOString();

  for (const limit of [undefined, 300]) {
    const parts: Answer[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 20; n++) {
      const part = (await svc.api.backtestRule(input, { ...window, cursor, limit })) as Answer;
      parts.push(part);
      if (part.nextCursor === null) break;
      cursor = part.nextCursor;
    }
    const max = limit ?? 1000;
    expect(parts.length, `limit ${limit}`).toBe(Math.ceil(direct.transitions.length / max));
    for (const part of parts) {
      expect(part.transitions.length).toBeLessThanOrEqual(max);
      expect(part.notifications.length).toBeLessThanOrEqual(max);
      expect([part.transitionsTotal, part.notificationsTotal]).toEqual([direct.transitions.length, direct.notifications.length]);
      expect(part.truncated).toBe(part.nextCursor !== null);
      // A part ends at its cursor: everything listed is at or before it, nothing after it is.
      if (part.nextCursor !== null) expect([...part.transitions, ...part.notifications].every((e) => e.at <= part.nextCursor!)).toBe(true);
    }
    expect(parts.flatMap((p) => p.transitions)).toEqual(direct.transitions.map((t) => ({ ...t, at: iso(t.at) })));
    expect(parts.flatMap((p) => p.notifications.map((x) => [x.at, x.kind]))).toEqual(direct.notifications.map((x) => [iso(x.at), x.kind]));
  }

  const app = createApp({ ...configFromEnv({}), signals: svc });
  for (const [bad, field] of [[{ cursor: 'soon' }, 'cursor'], [{ cursor: 7 }, 'cursor'], [{ limit: 0 }, 'limit'], [{ limit: 1001 }, 'limit'], [{ limit: 2.5 }, 'limit'], [{ limit: 'ten' }, 'limit']] as const) {
    const res = await app.request('/v1/alerts/backtest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rule: input, ...window, ...bad }) });
    expect(res.status, JSON.stringify(bad)).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message, JSON.stringify(bad)).toContain(field);
  }
});

it('keeps the entries of one evaluation (one time) in one part, unless they alone are more than the limit', () => {
  const at = (...times: number[]) => times.map((t) => ({ at: t }));
  // The third and fourth transitions share time 3: a part of 3 ends before them, at 2.
  expect(listedPart(at(1, 2, 3, 3, 4), at(2, 4), -Infinity, 3)).toEqual({ transitions: at(1, 2), notifications: at(2), next: 2 });
  expect(listedPart(at(1, 2, 3, 3, 4), at(2, 4), 2, 3)).toEqual({ transitions: at(3, 3, 4), notifications: at(4), next: null });
  // The notifications end the part sooner than the transitions would.
  expect(listedPart(at(1, 5), at(1, 2, 3), -Infinity, 2)).toEqual({ transitions: at(1), notifications: at(1, 2), next: 2 });
  // Two at one time with a limit of 1: both, so the next part moves on.
  expect(listedPart(at(3, 3, 4), [], -Infinity, 1)).toEqual({ transitions: at(3, 3), notifications: [], next: 3 });
});

interface Answer {
  since: string;
  until: string;
  evaluations: number;
  transitions: { at: string }[];
  transitionsTotal: number;
  fired: number;
  resolved: number;
  notifications: { at: string; kind: string }[];
  notificationsTotal: number;
  truncated: boolean;
  nextCursor: string | null;
  series: { at: string; value: number | null; labels: number; state: string; evaluations?: number; min?: number | null; max?: number | null }[];
  seriesEvery: number;
  state: string;
  chart: string;
}

/** Each answer point is the bucket of `every` evaluations of the engine's series starting at its time. */
function expectBuckets(answer: Answer['series'], series: SeriesPoint[], every: number): void {
  const rank = { ok: 0, paused: 0, pending: 1, firing: 2 };
  const expected = [];
  for (let i = 0; i < series.length; i += every) {
    const part = series.slice(i, i + every);
    const values = part.map((p) => p.value).filter((v): v is number => v !== null);
    const last = part[part.length - 1];
    expected.push({
      at: new Date(part[0].at).toISOString(),
      value: last.value,
      labels: last.labels,
      state: part.reduce((worst, p) => (rank[p.state] > rank[worst] ? p.state : worst), part[0].state),
      evaluations: part.length,
      min: values.length ? values.reduce((a, b) => Math.min(a, b)) : null,
      max: values.length ? values.reduce((a, b) => Math.max(a, b)) : null,
    });
  }
  expect(answer).toEqual(expected);
}

/** The alert rule of `input` as the service resolves it, and the engine's backtest of it from `since` to NOW in one go. */
async function engineBacktest(svc: SignalsService, input: Record<string, unknown>, since: number) {
  const { rule, signalId } = await checkAlertRule(svc.context, input);
  const resolved = ruleOfRow({ id: '', signalId, name: rule.name, rule, paused: false, createdAt: 0, updatedAt: 0 });
  const labels = await loadAlertLabels(store, signalId, labelsNeeded(resolved, since).since, labelsNeeded(resolved, NOW).until);
  return { resolved, direct: backtest(resolved, labels, since, NOW) };
}
