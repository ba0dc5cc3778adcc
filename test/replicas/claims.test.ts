/**
 * Claims and leases between replicas, on the store the run tests (libsql in `node`, PostgreSQL in `postgres`): two
 * stores opened on one database stand for two replicas. Each piece of shared work goes to one claimant, a claim
 * that ran out is taken over, and an alert evaluated by both notifies once per transition.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/service/alerts-evaluate.js';
import { sendDueDeliveries } from '../../src/service/deliveries.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { fencedBatch, releaseLease, takeLease } from '../../src/store/claims.js';
import { claimJobs, closeJob, enqueueJobs, jobCounts, jobFence, renewJob } from '../../src/store/jobs.js';
import { advanceRun, claimRun, claimRuns, finishRun, insertRun, releaseRun, renewRun, runById, runFence, type RunRow } from '../../src/store/runs.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { receiver, type Receiver } from '../helpers/webhook-receiver.js';
import { refundSignal, turn } from '../service/fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const MIN = 60_000;
const LEASE = 30_000;

let dir: string;
let a: Store;
let b: Store;

beforeEach(async () => {
  dir = newStoreDir('signals-claims-');
  a = await openTestStore(dir);
  b = await openTestStore(dir);
});
afterEach(async () => {
  await a.close();
  await b.close();
  removeStoreDir(dir);
});

const as = (owner: string, now: number) => ({ owner, now, leaseMs: LEASE });

describe('claims between replicas', () => {
  it('a lane lease goes to one replica, is given back or taken over once it ran out', async () => {
    expect(await takeLease(a, 'settle', as('A', T0))).toBe(true);
    expect(await takeLease(b, 'settle', as('B', T0 + 1000))).toBe(false);
    expect(await takeLease(a, 'settle', as('A', T0 + 2000))).toBe(true); // its own: renewed
    await releaseLease(a, 'settle', 'A');
    expect(await takeLease(b, 'settle', as('B', T0 + 3000))).toBe(true);
    expect(await takeLease(a, 'settle', as('A', T0 + 4000))).toBe(false);
    // B died holding it: A takes it once B's lease ran out.
    expect(await takeLease(a, 'settle', as('A', T0 + 3000 + LEASE))).toBe(true);
    await releaseLease(b, 'settle', 'B'); // a late release by the old holder gives nothing back
    expect(await takeLease(b, 'settle', as('B', T0 + 3000 + LEASE + 1))).toBe(false);
  });

  it('LLM jobs claimed at once by two replicas are disjoint; a dead replica’s jobs are taken over and its late close changes nothing', async () => {
    const jobs = Array.from({ length: 10 }, (_, i) => ({
      id: `job${i}`,
      signalId: 'sig',
      version: 1,
      targetKind: 'trace' as const,
      agent: 'shop',
      targetId: `t${i}`,
      revision: '1',
      createdAt: T0 + i,
    }));
    await a.batch(enqueueJobs(a, jobs));
    // A claim takes no more than it asked for (on PostgreSQL the locking pick is evaluated once, not per row).
    const few = await claimJobs(a, as('A', T0 - LEASE), 3);
    expect(few.map((j) => j.id)).toEqual(['job0', 'job1', 'job2']);
    const [byA, byB] = await Promise.all([claimJobs(a, as('A', T0), 6), claimJobs(b, as('B', T0), 6)]);
    const ids = [...byA, ...byB].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(10);
    expect(byA.every((j) => j.leaseOwner === 'A' && j.status === 'running')).toBe(true);
    // Nothing is left to claim while the leases run.
    expect(await claimJobs(b, as('B', T0 + LEASE - 1), 10)).toEqual([]);
    // A died: once its leases ran out B takes its jobs (and only those: B's own are not "expired" for B's clock yet).
    const taken = await claimJobs(b, as('B', T0 + LEASE), 10);
    expect(taken.map((j) => j.id).sort()).toEqual(ids.sort());
    // A comes back late and closes one of its old jobs under its old claim: B holds it, so nothing changes, and
    // behind the job's fence nothing else A sends with it is written either.
    const late = taken.find((j) => j.id === byA[0]!.id)!;
    expect(late.leaseToken).not.toBe(byA[0]!.leaseToken);
    await a.batch([closeJob(a, byA[0]!.id, byA[0]!.leaseToken!, 'done', 1, null)]);
    expect(await jobCounts(a)).toEqual({ running: 10 });
    expect(await fencedBatch(a, jobFence(a, late.id, byA[0]!.leaseToken!), [closeJob(a, late.id, late.leaseToken!, 'done', 1, null)])).toBe(false);
    expect(await jobCounts(a)).toEqual({ running: 10 });
    expect(await renewJob(a, late.id, byA[0]!.leaseToken!, as('A', T0 + LEASE))).toBe(false);
    expect(await renewJob(b, late.id, late.leaseToken!, as('B', T0 + LEASE))).toBe(true);
    expect(await fencedBatch(b, jobFence(b, late.id, late.leaseToken!), [closeJob(b, late.id, late.leaseToken!, 'done', 1, null)])).toBe(true);
    expect(await jobCounts(a)).toEqual({ running: 9, done: 1 });
  });

  it('a backfill run is advanced by one replica and taken over after its lease', async () => {
    const run: RunRow = {
      id: 'run1', signalId: 'sig', version: 1, kind: 'backfill', since: T0, until: T0 + MIN, rate: 1, status: 'queued',
      total: 0, done: 0, counts: {}, unreadable: 0, requests: 0, inputTokens: 0, outputTokens: 0, usd: 0, error: null,
      cursor: null, createdAt: T0, updatedAt: T0, finishedAt: null, leaseOwner: null, leaseUntil: 0, leaseToken: null, resumeAt: null,
    };
    await insertRun(a, run);
    const [byA, byB] = await Promise.all([claimRuns(a, as('A', T0), 4), claimRuns(b, as('B', T0), 4)]);
    expect(byA.length + byB.length).toBe(1);
    const [holder, other, otherStore] = byA.length === 1 ? ['A', 'B', b] : ['B', 'A', a];
    expect(await claimRun(otherStore, 'run1', as(other, T0 + LEASE - 1))).toBeUndefined();
    expect(await claimRun(otherStore, 'run1', as(other, T0 + 1000 + LEASE))).toMatchObject({ id: 'run1', leaseOwner: other });
    expect(await claimRuns(otherStore === a ? b : a, as(holder, T0 + 2000 + LEASE), 4)).toEqual([]);
  });

  it('a run is claimed by its claim token, not the replica id: the same id twice still takes turns, and a stale claim neither renews nor writes', async () => {
    const run: RunRow = {
      id: 'run2', signalId: 'sig', version: 1, kind: 'backfill', since: T0, until: T0 + MIN, rate: 1, status: 'queued',
      total: 0, done: 0, counts: {}, unreadable: 0, requests: 0, inputTokens: 0, outputTokens: 0, usd: 0, error: null,
      cursor: null, createdAt: T0, updatedAt: T0, finishedAt: null, leaseOwner: null, leaseUntil: 0, leaseToken: null, resumeAt: null,
    };
    await insertRun(a, run);
    // Two processes configured with the same SIGNALS_REPLICA_ID: the second does not enter the first one's claim.
    const first = await claimRun(a, 'run2', as('same', T0));
    expect(first?.leaseToken).toEqual(expect.any(String));
    expect(await claimRun(b, 'run2', as('same', T0 + 1000))).toBeUndefined();
    expect(await claimRuns(b, as('same', T0 + 1000), 4)).toEqual([]);
    expect(await renewRun(a, 'run2', first!.leaseToken!, as('same', T0 + 2000))).toBe(true);
    // The first stalls past its renewed lease; the second takes the run over under a new token.
    const second = await claimRun(b, 'run2', as('same', T0 + 2000 + LEASE));
    expect(second?.leaseToken).not.toBe(first!.leaseToken);
    expect(await renewRun(a, 'run2', first!.leaseToken!, as('same', T0 + 2001 + LEASE))).toBe(false);
    const progress = { done: 5, counts: { yes: 5 }, unreadable: 0, cost: { requests: 5, inputTokens: 0, outputTokens: 0, usd: 0 }, cursor: '[1,"shop","t4"]' };
    expect(await fencedBatch(a, runFence(a, 'run2', first!.leaseToken!), [advanceRun(a, first!, progress, T0 + 2001 + LEASE)])).toBe(false);
    await finishRun(a, 'run2', 'failed', T0 + 2001 + LEASE, 'stale', first!.leaseToken!);
    expect(await runById(a, 'run2')).toMatchObject({ status: 'queued', done: 0, cursor: null });
    await releaseRun(a, 'run2', first!.leaseToken!);
    expect(await claimRun(a, 'run2', as('other', T0 + 2002 + LEASE))).toBeUndefined();
    expect(await fencedBatch(b, runFence(b, 'run2', second!.leaseToken!), [advanceRun(b, second!, progress, T0 + 2002 + LEASE)])).toBe(true);
    expect(await runById(a, 'run2')).toMatchObject({ status: 'running', done: 5, cursor: '[1,"shop","t4"]' });
  });
});

/** What the receiver was sent: kind, reminder or not, and the evaluation time of each notification. */
const notified = (hooks: Receiver) =>
  hooks.received
    .map((r) => JSON.parse(r.body) as { type: string; repeat: boolean; at: string })
    .map((n) => ({ kind: n.type.replace('alert.', ''), repeat: n.repeat, at: n.at }))
    .sort((x, y) => x.at.localeCompare(y.at));

describe('an alert evaluated by two replicas', () => {
  let hooks: Receiver;
  beforeEach(async () => {
    hooks = await receiver();
  });
  afterEach(async () => {
    await hooks.close();
  });

  const at = (k: number) => new Date(T0 + k * MIN).toISOString();

  async function replicas(): Promise<{ clock: { now: number }; services: [SignalsService, SignalsService] }> {
    const clock = { now: T0 };
    const options = (replicaId: string) => ({
      now: () => clock.now,
      replicaId,
      leaseMs: LEASE,
      env: { SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' },
    });
    const services: [SignalsService, SignalsService] = [createSignalsService(a, options('A')), createSignalsService(b, options('B'))];
    await services[0].api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    await services[1].api.createAlert({
      name: 'refunds-high', signal: 'refund-span', metric: 'true_rate', comparison: 'above', threshold: 0.5,
      window: '5m', every: '1m', for: '2m', cooldown: '3m', min_labels: 2,
      channels: [{ type: 'webhook', name: 'ops', url: `${hooks.url}/ok` }],
    });
    return { clock, services };
  }

  /** Minute k's traffic (refunds in minutes 11..20), sent to the replicas alternately, then `evaluate` at its end. */
  async function live(clock: { now: number }, services: SignalsService[], evaluate: (now: number) => Promise<unknown>) {
    for (let k = 1; k <= 30; k++) {
      const user = k >= 11 && k <= 20 ? 'I want a refund' : 'Where is my parcel?';
      await services[k % 2]!.ingest([...turn({ traceId: `m${k}a`, at: T0 + (k - 1) * MIN + 1_000, user }), ...turn({ traceId: `m${k}b`, at: T0 + (k - 1) * MIN + 30_000, user })]);
      clock.now = T0 + k * MIN;
      await evaluate(clock.now);
    }
  }

  // Hand-computed from the traffic (as in test/service/alerts.test.ts): firing at 15, reminders at 18 and 21, resolved at 23.
  const EXPECTED = [
    { kind: 'firing', repeat: false, at: at(15) },
    { kind: 'firing', repeat: true, at: at(18) },
    { kind: 'firing', repeat: true, at: at(21) },
    { kind: 'resolved', repeat: false, at: at(23) },
  ];

  it('both evaluating at the same moment, past any lease: the state compare-and-set lets one notify', async () => {
    const { clock, services } = await replicas();
    await live(clock, services, async (now) => {
      await Promise.all(services.map((s) => evaluateAlerts(s.context.store, now, s.context.alerts)));
      // Both send the stored deliveries at once: each is claimed by one.
      await Promise.all(services.map((s) => sendDueDeliveries(s.context, now)));
    });
    expect(notified(hooks)).toEqual(EXPECTED);
    const history = await services[0].api.alertHistory('refunds-high');
    expect(history.filter((e) => e.type === 'transition').map((e) => [e.at, e.to])).toEqual([
      [at(23), 'ok'],
      [at(15), 'firing'],
      [at(13), 'pending'],
    ]);
  });

  it('both ticking at once: one takes the alerts lease each time, notifications once', async () => {
    const { clock, services } = await replicas();
    await live(clock, services, (now) => Promise.all(services.map((s) => s.tick(now, { llm: false, runs: false, prune: false }))));
    expect(notified(hooks)).toEqual(EXPECTED);
  });
});
