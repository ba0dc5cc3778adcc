import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { judge } from '../../src/custom/judge.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let running: NodeService | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('Node service runner', () => {
  it('runs a backfill in the background once started', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-runner-'));
    running = await startNodeService({ SIGNALS_DB: join(dir, 'db', 'signals.db') }, { intervalMs: 50 });
    const { api } = running.service;
    await running.service.ingest(turn({ traceId: 't1', at: T0, user: 'refund' }));
    await api.createSignal({ definition: refundSignal('trace') as never });
    const run = await api.startRun('refund-trace', { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' });
    await vi.waitFor(async () => expect((await api.getRun(run.id)).status).toBe('done'), { timeout: 5000, interval: 50 });
    expect(await api.getRun(run.id)).toMatchObject({ done: 1, counts: { yes: 1 } });
  });

  it('never waits on the LLM during ingest: undecided targets go to the background queue', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-runner-'));
    let llmCalls = 0;
    // A fake LLM behind the judge port (no model is reachable in tests); rules run for real.
    const ports = {
      judge: async (target: never, definition: never, context: { llm: boolean }) => {
        if (!context.llm) return judge(target, definition);
        llmCalls++;
        return { status: 'labelled' as const, label: 'yes', explanation: 'fake llm', judge: 'llm' as const, cost: { requests: 1, inputTokens: 10, outputTokens: 2, usd: 0.001 } };
      },
    };
    running = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 50, ports: ports as never });
    const { api } = running.service;
    const def = {
      ...refundSignal('span'),
      judge: 'rules-then-llm',
      rules: { when: [{ label: 'no', if: { phrases: ['thanks'] } }], default: 'undecided' },
      llm: { model: 'fake' },
    };
    await api.createSignal({ definition: def as never, state: 'active' });
    const r = await running.service.ingest([...turn({ traceId: 't1', at: T0, user: 'thanks' }), ...turn({ traceId: 't2', at: T0 + 1000, user: 'my card was charged twice' })]);
    expect(r).toMatchObject({ labels: 1, queued: 1 });
    await vi.waitFor(async () => expect((await api.labels('refund-span')).items).toHaveLength(2), { timeout: 5000, interval: 50 });
    const labels = (await api.labels('refund-span')).items.map((l) => [l.targetId, l.value, l.judge]);
    expect(labels).toEqual([
      ['t2-llm', 'yes', 'llm'],
      ['t1-llm', 'no', 'rules'],
    ]);
    expect(llmCalls).toBe(1);
  });
});
