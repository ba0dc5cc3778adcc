// Issue 22 item 1: the built Node service is SIGKILLed at random points of an ingest burst with span-scope
// signals active; the sender re-sends every export that was not acknowledged (as an OTLP exporter does) and the
// service restarts. Every LLM span must end with exactly one label per active signal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/libsql.js';
import { type ChildService, startChildService } from '../helpers/child-service.js';

const EXPORTS = 48;
const TRACES_PER_EXPORT = 4;
const KILLS = 3;
const T0 = Date.parse('2026-11-30T10:00:00Z');
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Export `e`: TRACES_PER_EXPORT traces of agent `shop`, each a root span and two GenAI chat spans. */
function exportBody(e: number) {
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  const spans = [];
  for (let t = 0; t < TRACES_PER_EXPORT; t++) {
    const traceId = hex(e * 100 + t + 1, 32);
    const root = hex((e * 100 + t + 1) * 10, 16);
    const at = T0 + (e * 100 + t) * 1000;
    spans.push({ traceId, spanId: root, name: 'invoke_agent shop', kind: 1, startTimeUnixNano: ns(at), endTimeUnixNano: ns(at + 900), attributes: [attr('gen_ai.operation.name', 'invoke_agent')] });
    for (let c = 1; c <= 2; c++) {
      const user = (e + t + c) % 3 === 0 ? 'I want a refund for my order' : (e + t + c) % 3 === 1 ? 'where is my parcel' : 'hello there';
      spans.push({
        traceId,
        spanId: hex((e * 100 + t + 1) * 10 + c, 16),
        parentSpanId: root,
        name: 'chat gpt-test',
        kind: 3,
        startTimeUnixNano: ns(at + c * 100),
        endTimeUnixNano: ns(at + c * 100 + 50),
        attributes: [
          attr('gen_ai.operation.name', 'chat'),
          attr('gen_ai.request.model', 'gpt-test'),
          attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: user }] }])),
          attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Let me check.' }] }])),
        ],
      });
    }
  }
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [attr('service.name', 'shop')] }, scopeSpans: [{ scope: { name: 'crash-test' }, spans }] }] });
}

const SIGNALS = [
  {
    name: 'refund-span',
    agent: 'shop',
    scope: 'span',
    type: 'binary',
    prompt: 'Does the user ask for a refund?',
    judge: 'rules',
    rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
  },
  {
    name: 'topic-span',
    agent: '*',
    scope: 'span',
    type: 'labels',
    labels: [{ name: 'billing' }, { name: 'shipping' }, { name: 'other' }],
    prompt: 'What is the user asking about?',
    judge: 'rules',
    rules: { when: [{ label: 'billing', if: { phrases: ['refund'] } }, { label: 'shipping', if: { phrases: ['parcel'] } }], default: 'other' },
  },
];

const dir = mkdtempSync(join(tmpdir(), 'signals-crash-'));
const db = join(dir, 'signals.db');
let service: ChildService | undefined;
afterAll(async () => {
  await service?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the pending exports, 4 in flight; returns the ones acknowledged (2xx) and calls `onAck` after each. */
async function burst(url: string, pending: number[], onAck: (acked: number) => void): Promise<Set<number>> {
  const acked = new Set<number>();
  const queue = [...pending];
  const sender = async () => {
    for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
      try {
        const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exportBody(e) });
        await res.arrayBuffer();
        if (res.ok) {
          acked.add(e);
          onAck(acked.size);
        }
      } catch {
        // Connection reset or refused: the service died; the export stays pending (the exporter retries it).
      }
    }
  };
  await Promise.all([sender(), sender(), sender(), sender()]);
  return acked;
}

describe('crash mid-ingest (built service, SIGKILL)', () => {
  it('every LLM span ends with exactly one label per active span-scope signal after kills and re-sends', { timeout: 180_000 }, async () => {
    service = await startChildService({ SIGNALS_DB: db });
    for (const definition of SIGNALS) {
      const res = await fetch(`${service.url}/v1/signals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definition, state: 'active' }) });
      expect(res.status, await res.text()).toBe(201);
    }
    let pending = Array.from({ length: EXPORTS }, (_, i) => i);
    const ackedEver = new Set<number>();
    let killedMidBurst = 0;
    for (let k = 0; k < KILLS; k++) {
      const current = service!;
      // Kill after a random number of acknowledgements (so requests are in flight), plus a random few ms.
      const killAfter = 1 + Math.floor(Math.random() * Math.max(1, pending.length - 4));
      let killing: Promise<void> | undefined;
      const acked = await burst(current.url, pending, (n) => {
        if (n === killAfter && killing === undefined) killing = new Promise((r) => setTimeout(r, Math.random() * 20)).then(() => current.kill());
      });
      await (killing ?? current.kill());
      for (const e of acked) ackedEver.add(e);
      if (acked.size < pending.length) killedMidBurst++;
      pending = pending.filter((e) => !acked.has(e));
      service = await startChildService({ SIGNALS_DB: db });
    }
    // A kill can land after the answer was written but before the sender read it: such exports are re-sent too.
    const last = await burst(service.url, pending, () => {});
    expect(last.size).toBe(pending.length);
    expect(await service.stop()).toBe(0);
    service = undefined;
    expect(killedMidBurst).toBeGreaterThan(0);

    const store = await openStore({ url: db });
    try {
      const llmSpans = await store.db.all<{ agent: string; span_id: string }>(sql`select agent, span_id from spans where kind = 'llm' and message_count > 0`);
      expect(llmSpans).toHaveLength(EXPORTS * TRACES_PER_EXPORT * 2);
      const counts = await store.db.all<{ name: string; agent: string; target_id: string; n: number }>(
        sql`select s.name, l.agent, l.target_id, count(*) as n from labels l join signals s on s.id = l.signal_id where l.target_kind = 'span' group by s.name, l.agent, l.target_id`,
      );
      for (const { name } of SIGNALS) {
        const mine = counts.filter((c) => c.name === name);
        expect(mine.filter((c) => c.n !== 1), `${name}: targets with duplicate labels`).toEqual([]);
        const labelled = new Set(mine.map((c) => `${c.agent}/${c.target_id}`));
        const missing = llmSpans.filter((s) => !labelled.has(`${s.agent}/${s.span_id}`));
        expect(missing, `${name}: LLM spans without a label`).toEqual([]);
        expect(mine).toHaveLength(llmSpans.length);
      }
    } finally {
      await store.close();
    }
  });
});
