// Spans stored under a fallback agent (the service name: no span above them named one yet) move to their agent when
// its span arrives. What stays under the old agent must read as if the moved spans had never been there: its traces
// and sessions recounted (time span, root), emptied ones gone, an agent left with nothing gone from the agent list,
// and a trace or session that lost judged content labelled again (a new revision, never one labelled before). The
// oracle is a store that received every span under its final agent at once. On libsql, PostgreSQL and D1.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import type { CapturedSpan } from '../../src/formats/captured-span.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { sessions, traces } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, span } from '../service/fixtures.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const APP = 'shop-app';
const AGENT = 'shop';

let dir: string;
beforeEach(() => {
  dir = newStoreDir('signals-agent-moves-');
});
afterEach(() => removeStoreDir(dir));

const llm = (p: Parameters<typeof span>[0], user: string): CapturedSpan =>
  span({ ...p, kind: 'llm', messages: [{ role: 'user', content: user }, { role: 'assistant', content: 'Let me check.' }] });
/** A span of the app stored before its agent is known (what the reader gives when no span above it names one). */
const early = (s: CapturedSpan): CapturedSpan => ({ ...s, agent: APP, agentFallback: true });

// Session s1 of the app: t1 (a workflow root r1 around the agent span a1 and its call l1, which ends after r1),
// t3 (a call that never gets an agent), then t2 (the agent span a2 and its call l2, the session's last trace).
const r1 = span({ traceId: 't1', spanId: 'r1', name: 'workflow', sessionId: 's1', startMs: T0, endMs: T0 + 900 });
const a1 = span({ traceId: 't1', spanId: 'a1', parentSpanId: 'r1', name: 'invoke_agent', startMs: T0 + 50, endMs: T0 + 2_000 });
const l1 = llm({ traceId: 't1', spanId: 'l1', parentSpanId: 'a1', sessionId: 's1', startMs: T0 + 100, endMs: T0 + 1_900 }, 'I want a refund');
const l3 = llm({ traceId: 't3', spanId: 'l3', sessionId: 's1', startMs: T0 + 10_000, endMs: T0 + 10_800 }, 'hello');
const a2 = span({ traceId: 't2', spanId: 'a2', name: 'invoke_agent', startMs: T0 + 20_000, endMs: T0 + 21_000 });
const l2 = llm({ traceId: 't2', spanId: 'l2', parentSpanId: 'a2', sessionId: 's1', startMs: T0 + 20_100, endMs: T0 + 20_900 }, 'and another refund');

/** What a reader sees of the traffic rows and the agent list (not the ingest clock). */
async function traffic(store: Store, svc: SignalsService) {
  return {
    // Revisions apart: a move gives what it leaves a new one (see the revisions below).
    traces: (await store.db.select().from(traces).orderBy(asc(traces.agent), asc(traces.id))).map(({ lastActivity: _, settledRevision: __, revision: ___, movedOut: ____, ...t }) => t),
    sessions: (await store.db.select().from(sessions).orderBy(asc(sessions.agent), asc(sessions.id))).map(({ lastActivity: _, settledRevision: __, revision: ___, movedOut: ____, ...s }) => s),
    agents: await svc.api.agents(),
  };
}

/** The rows of a store that received `spans` in one export. */
async function reference(spans: CapturedSpan[]) {
  const store = await openTestStore(dir, 'reference');
  try {
    const svc = createSignalsService(store, { now: () => T0 + 60_000 });
    await svc.ingest(spans);
    return await traffic(store, svc);
  } finally {
    await store.close();
  }
}

it("recounts the old agent's traces and sessions the moved spans leave, and drops the ones they empty", async () => {
  const expected = await reference([early(r1), early(l3), a1, l1, a2, l2]);
  const store = await openTestStore(dir, 'moved');
  try {
    const svc = createSignalsService(store, { now: () => T0 + 60_000 });
    await svc.ingest([early(r1), early(l1), early(l3), early(l2)]);
    await svc.ingest([a1, a2]);
    const got = await traffic(store, svc);
    expect(got).toEqual(expected);
    // What that means, spelled out: the app keeps t1 (r1 alone) and t3 in s1; t2 went whole to the agent.
    expect(got.traces.map((t) => [t.agent, t.id, t.endMs - T0])).toEqual([
      [AGENT, 't1', 2_000],
      [AGENT, 't2', 21_000],
      [APP, 't1', 900],
      [APP, 't3', 10_800],
    ]);
    expect(got.sessions.map((s) => [s.agent, s.id, s.startMs - T0, s.endMs - T0])).toEqual([
      [AGENT, 's1', 50, 21_000],
      [APP, 's1', 0, 10_800],
    ]);
    // Revisions: the agent's count its spans; what the app keeps is one past what it had (t1: 2 spans, now 3; s1: 4
    // spans, now 5), so a revision labelled before the move is never reused.
    const revisions = async () => [
      ...(await store.db.select().from(traces).orderBy(asc(traces.agent), asc(traces.id))).map((t) => `${t.agent}/${t.id}@${t.revision}`),
      ...(await store.db.select().from(sessions).orderBy(asc(sessions.agent), asc(sessions.id))).map((s) => `${s.agent}/${s.id}@${s.revision}`),
    ];
    expect(await revisions()).toEqual([`${AGENT}/t1@2`, `${AGENT}/t2@2`, `${APP}/t1@3`, `${APP}/t3@1`, `${AGENT}/s1@4`, `${APP}/s1@5`]);
    // They count on from there: a span and a trace more for the app's t1 and s1.
    await svc.ingest([early(span({ traceId: 't1', spanId: 'r1b', parentSpanId: 'r1', name: 'workflow step', sessionId: 's1', startMs: T0 + 300, endMs: T0 + 400 }))]);
    await svc.ingest([early(span({ traceId: 't4', spanId: 'r4', name: 'workflow', sessionId: 's1', startMs: T0 + 30_000, endMs: T0 + 30_500 }))]);
    expect(await revisions()).toEqual([`${AGENT}/t1@2`, `${AGENT}/t2@2`, `${APP}/t1@4`, `${APP}/t3@1`, `${APP}/t4@1`, `${AGENT}/s1@4`, `${APP}/s1@7`]);
  } finally {
    await store.close();
  }
});

it('drops an agent every span of which moved away from the agent list', async () => {
  const expected = await reference([a2, l2]);
  expect(expected.agents.map((a) => a.agent)).toEqual([AGENT]);
  const store = await openTestStore(dir, 'moved');
  try {
    const svc = createSignalsService(store, { now: () => T0 + 60_000 });
    await svc.ingest([early(l2)]);
    await svc.ingest([a2]);
    expect(await traffic(store, svc)).toEqual(expected);
  } finally {
    await store.close();
  }
});

/**
 * A store with the session-scope refund signal of the app active; `step` ingests spans, lets the session settle
 * (31 minutes on) and gives the current labels as `agent:session@revision=value`.
 */
async function withRefundLabels(name: string, run: (step: (spans: CapturedSpan[]) => Promise<string[]>) => Promise<void>): Promise<void> {
  const store = await openTestStore(dir, name);
  try {
    let clock = T0 + 60_000;
    const svc = createSignalsService(store, { now: () => clock });
    await svc.api.createSignal({ definition: refundSignal('session', { agent: APP }) as never, state: 'active' });
    await run(async (spans) => {
      await svc.ingest(spans);
      clock += 31 * 60_000;
      await svc.tick(clock);
      return (await svc.api.labels('refund-session')).items.map((l) => `${l.agent}:${l.targetId}@${l.revision}=${l.value}`);
    });
  } finally {
    await store.close();
  }
}

it('labels again a session of the old agent whose judged content moved away', async () => {
  await withRefundLabels('settled', async (step) => {
    // Judged with the refund request of l1, which belongs to the agent.
    expect(await step([early(r1), early(l1), early(l3)])).toEqual([`${APP}:s1@3=yes`]);
    // What the app's session holds now (r1, l3) asks for no refund.
    expect(await step([a1])).toEqual([`${APP}:s1@4=no`]);
  });
});

it('labels again a session back to what it held when it was first labelled (a new revision, not the first one)', async () => {
  await withRefundLabels('relabelled', async (step) => {
    expect(await step([early(r1), early(l3)])).toEqual([`${APP}:s1@2=no`]);
    // The agent's call arrives, still without its agent span: the session asks for a refund now.
    expect(await step([early(l1)])).toEqual([`${APP}:s1@3=yes`]);
    // The call moves to its agent: the app's session holds r1 and l3 again, labelled as such at a new revision.
    expect(await step([a1])).toEqual([`${APP}:s1@4=no`]);
  });
});
