// Issue 22 item 5: retention by the time the service received the data, across every table that grows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import { agents, alertTransitions, deliveries, labels, llmJobs, llmUsage, runs, sessions, spans, traces } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from './fixtures.js';

const DAY = 86_400_000;
const RECEIVED = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let clock: number;
let service: SignalsService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-retention-'));
  store = await openStore({ url: join(dir, 'signals.db') });
  clock = RECEIVED;
  service = createSignalsService(store, { now: () => clock, retentionDays: 1, traceSettleSeconds: 1, sessionIdleMinutes: 1 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = async () => {
  const n = async (table: Parameters<ReturnType<typeof store.db.select>['from']>[0]) => (await store.db.select({ n: count() }).from(table))[0].n;
  return {
    spans: await n(spans),
    traces: await n(traces),
    sessions: await n(sessions),
    labels: await n(labels),
    agents: await n(agents),
    runs: await n(runs),
    transitions: await n(alertTransitions),
    deliveries: await n(deliveries),
    jobs: await n(llmJobs),
    usage: await n(llmUsage),
  };
};

describe('retention (SIGNALS_RETENTION_DAYS)', () => {
  it('keeps by receipt time: spans dated 3 days ago or 1970 stay the full period, spans dated 2100 go when received long ago', async () => {
    for (const scope of ['span', 'trace', 'session'] as const) await service.api.createSignal({ definition: refundSignal(scope, { agent: '*' }) as never, state: 'active' });
    await service.ingest([
      ...turn({ traceId: 'dated-3-days-ago', sessionId: 's-old', at: RECEIVED - 3 * DAY, user: 'refund' }),
      ...turn({ traceId: 'dated-1970', sessionId: 's-1970', at: 0, user: 'refund' }),
      ...turn({ traceId: 'dated-2100', sessionId: 's-2100', at: Date.parse('2100-01-01T00:00:00Z'), user: 'refund', agent: 'future' }),
    ]);
    // Labelled (traces and sessions settled), a backfill run finished, an alert transition and a delivery stored.
    clock = RECEIVED + 2 * 60_000;
    await service.tick(clock);
    const run = await service.api.startRun('refund-trace', { since: '1970-01-01T00:00:00Z', until: '2101-01-01T00:00:00Z' });
    await service.driveRun(run.id);
    await store.db.insert(alertTransitions).values({ id: 'tr1', alertId: 'a1', at: clock, fromState: 'ok', toState: 'firing', value: 1, data: null });
    await store.db.insert(deliveries).values([
      { id: 'dl1', alertId: 'a1', channel: 'ops', at: clock, attempts: 1, status: 'sent', httpStatus: 200, lastError: null, payload: null, lastAttemptAt: clock },
      // Still to be sent (its next try far off): kept whatever its age, until it is sent or fails.
      { id: 'dl2', alertId: 'a1', channel: 'ops', at: clock, attempts: 1, status: 'pending', httpStatus: 500, lastError: 'HTTP 500', payload: null, nextAttemptAt: clock + 9 * DAY },
    ]);
    await store.db.insert(llmJobs).values({ id: 'j1', signalId: 's', version: 1, targetKind: 'span', targetId: 'x', revision: '1', status: 'done', attempts: 1, leaseUntil: 0, error: null, createdAt: clock });
    // LLM spend booked against the day caps: the day before the first receipt, its day, and a run's account (no day).
    await store.db.insert(llmUsage).values([
      { account: 'signal:s', day: '2026-11-29', requests: 3, tokens: 300, usd: 0.3 },
      { account: 'signal:s', day: '2026-11-30', requests: 1, tokens: 100, usd: 0.1 },
      { account: `run:${run.id}`, day: '', requests: 1, tokens: 100, usd: 0.1 },
    ]);
    const before = await rows();
    expect(before).toMatchObject({ spans: 6, traces: 3, sessions: 3, agents: 2, runs: 1, transitions: 1, deliveries: 2, jobs: 1, usage: 3 });
    expect(before.labels).toBe(3 * 3);

    // Half a day later nothing was received more than a day ago: everything stays, whatever the span dates say.
    clock = RECEIVED + DAY / 2;
    await service.tick(clock);
    expect(await rows()).toEqual(before);

    // New traffic arrives; a day after the first receipt, the old data goes with its labels, runs, history, jobs
    // and the agent left without traffic; the new trace, its labels and its agent stay.
    // Another agent's trace with an old trace's id is its own trace: it stays.
    await service.ingest(turn({ traceId: 'fresh', at: Date.parse('1999-01-01T00:00:00Z'), user: 'refund' }));
    await service.ingest(turn({ traceId: 'dated-3-days-ago', at: RECEIVED - 3 * DAY, user: 'refund', agent: 'other' }));
    clock = RECEIVED + DAY + 10 * 60_000;
    await service.tick(clock);
    // Each new trace has no session id, so the session-scope signal labels it per trace: 3 labels each.
    // The spend of days before the cutoff's day goes (no cap reads a past day), and the pruned run's with it.
    expect(await rows()).toEqual({ spans: 4, traces: 2, sessions: 0, labels: 6, agents: 2, runs: 0, transitions: 0, deliveries: 1, jobs: 0, usage: 1 });
    expect((await service.api.labels('refund-span')).items.map((l) => `${l.agent}/${l.targetId}`).sort()).toEqual(['other/dated-3-days-ago-llm', 'shop/fresh-llm']);
    expect((await service.api.agents()).map((a) => a.agent).sort()).toEqual(['other', 'shop']);
    await expect(service.api.target('trace', 'dated-2100', 'future')).rejects.toMatchObject({ code: 'not_found' });
    expect((await service.api.target('trace', 'fresh', 'shop')).messages.length).toBeGreaterThan(0);
  });
});
