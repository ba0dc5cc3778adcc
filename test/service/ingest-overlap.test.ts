// Span-scope judging of an export starts before its turn of the store (ingests into one store take turns, each from
// its first read to its commit), so the judges work on one export while an earlier one is reading and committing.
// The labels are those a one-at-a-time ingest writes; a span stored before gets none, and a span whose agent only a
// stored ancestor gives is judged under that agent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { inThreadJudge, type InlineJudge } from '../../src/service/judging.js';
import { defaultPorts } from '../../src/service/ports.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-overlap-'));
  store = await openStore({ url: join(dir, 'signals.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An in-thread judge whose first call waits for `release()`; `calls` resolves `nth(k)` once k calls have started. */
function heldJudge() {
  const inner = inThreadJudge(defaultPorts());
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started = 0;
  const waiters: Array<{ k: number; resolve: () => void }> = [];
  const judge: InlineJudge = {
    async judge(targets, work, reports) {
      started++;
      for (const w of waiters.filter((w) => w.k <= started)) w.resolve();
      if (started === 1) await gate;
      return inner.judge(targets, work, reports);
    },
    close: () => inner.close(),
  };
  const nth = (k: number) => new Promise<void>((resolve) => (started >= k ? resolve() : waiters.push({ k, resolve })));
  return { judge, release: () => open(), nth };
}

const labelsOf = async (service: SignalsService) =>
  (await service.api.labels('refund-span', { limit: 500 })).items.map((l) => `${l.agent}/${l.targetId}=${l.value ?? l.status}`).sort();

/** Fails when `p` has not resolved after `ms`: a deadline for a step that, done right, needs no time at all. */
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms).unref())]);

describe('span judging before the turn', () => {
  it('judges an export while an earlier one holds the turn, and labels as one at a time does', async () => {
    const held = heldJudge();
    const service = createSignalsService(store, { now: () => T0 + 60_000, inline: held.judge });
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const a = service.ingest([...turn({ traceId: 'a1', sessionId: 's1', at: T0, user: 'I want a refund' })]);
    await held.nth(1);
    const b = service.ingest([...turn({ traceId: 'b1', sessionId: 's2', at: T0 + 1000, user: 'hello there' })]);
    // Export a holds the turn until its judging (held) is done; export b's judging has started anyway.
    await within(held.nth(2), 20_000, "the second export's judging while the first holds the turn");
    held.release();
    expect(await a).toEqual({ spans: 2, stored: 2, labels: 1, queued: 0, unreadable: 0 });
    expect(await b).toEqual({ spans: 2, stored: 2, labels: 1, queued: 0, unreadable: 0 });
    expect(await labelsOf(service)).toEqual(['shop/a1-llm=yes', 'shop/b1-llm=no']);
  });

  it('labels nothing for a span stored before, even when both exports were judged at once', async () => {
    const held = heldJudge();
    const service = createSignalsService(store, { now: () => T0 + 60_000, inline: held.judge });
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const spans = turn({ traceId: 'a1', sessionId: 's1', at: T0, user: 'I want a refund' });
    const first = service.ingest(spans);
    await held.nth(1);
    const again = service.ingest(spans.map((s) => ({ ...s })));
    await within(held.nth(2), 20_000, "the re-sent export's judging");
    held.release();
    expect(await first).toEqual({ spans: 2, stored: 2, labels: 1, queued: 0, unreadable: 0 });
    expect(await again).toEqual({ spans: 2, stored: 0, labels: 0, queued: 0, unreadable: 0 });
    expect(await labelsOf(service)).toEqual(['shop/a1-llm=yes']);
  });

  it('judges a span under the agent a stored ancestor gives, not the fallback it arrived with', async () => {
    const service = createSignalsService(store, { now: () => T0 + 60_000 });
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    // The agent span first, then (another export) its LLM span, which names no agent of its own.
    const [root, llm] = turn({ traceId: 'late', sessionId: 's1', at: T0, user: 'refund please' });
    await service.ingest([root]);
    const orphan = { ...llm, agent: 'unknown_service', agentFallback: true };
    expect(await service.ingest([orphan])).toEqual({ spans: 1, stored: 1, labels: 1, queued: 0, unreadable: 0 });
    expect(await labelsOf(service)).toEqual(['shop/late-llm=yes']);
  });
});
