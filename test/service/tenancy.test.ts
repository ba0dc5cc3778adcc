// Tenancy as an attack: two agents send the same session id ("1"), the same trace id and even the same span ids.
// Each keeps its own session, trace and span; a signal of one agent never judges the other's messages; the target
// routes never answer one agent's data for the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const TRACE = '5b8efff798038103d269b633813fc60c';
const ROOT = 'eee19b7ec3c1b174';
const LLM = 'eee19b7ec3c1b175';
const SECRET = 'tenant b secret: card 4111-1111-1111-1111';

let dir: string;
let store: Store;
let service: SignalsService;
let app: ReturnType<typeof createApp>;
let clock = T0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-tenancy-'));
  store = await openStore({ url: join(dir, 'signals.db') });
  clock = T0 + 5000;
  service = createSignalsService(store, { now: () => clock });
  app = createApp({ ...configFromEnv({}), signals: service });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

/** One turn of `agent` (its service.name) in session "1", trace TRACE, spans ROOT and LLM: what both tenants send. */
function exportOf(agent: string, userText: string, at: number) {
  const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: userText }] }]);
  const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `${agent} answers.` }] }]);
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', agent)] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: TRACE,
                spanId: ROOT,
                name: 'invoke_agent',
                kind: 1,
                startTimeUnixNano: ns(at),
                endTimeUnixNano: ns(at + 1000),
                attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('session.id', '1')],
              },
              {
                traceId: TRACE,
                spanId: LLM,
                parentSpanId: ROOT,
                name: 'chat gpt-test',
                kind: 3,
                startTimeUnixNano: ns(at + 100),
                endTimeUnixNano: ns(at + 900),
                attributes: [
                  attr('gen_ai.operation.name', 'chat'),
                  attr('gen_ai.request.model', 'gpt-test'),
                  attr('session.id', '1'),
                  attr('gen_ai.input.messages', input),
                  attr('gen_ai.output.messages', output),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

const json = (method: string, path: string, body?: unknown) =>
  app.request(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** A rules signal of `agent` at `scope`: yes when a message mentions a card. */
const cardSignal = (agent: string, scope: 'span' | 'trace' | 'session') => ({
  name: `card-${scope}-${agent === '*' ? 'all' : agent}`,
  agent,
  scope,
  type: 'binary',
  prompt: 'Does the conversation mention a card number?',
  judge: 'rules',
  rules: { when: [{ label: 'yes', if: { phrases: ['card'] } }], default: 'no' },
});

async function sendBoth() {
  for (const scope of ['span', 'trace', 'session'] as const) {
    for (const agent of ['tenant-a', '*']) expect((await json('POST', '/v1/signals', { definition: cardSignal(agent, scope), state: 'active' })).status).toBe(201);
  }
  expect((await json('POST', '/v1/traces', exportOf('tenant-a', 'hello, where is my parcel?', T0))).status).toBe(200);
  expect((await json('POST', '/v1/traces', exportOf('tenant-b', SECRET, T0 + 2000))).status).toBe(200);
  clock += 2 * 60 * 60_000;
  await service.tick(clock);
}

describe('tenancy: traces, sessions and spans are identified within their agent', () => {
  it('two agents sending session "1", the same trace id and the same span ids keep two of each', async () => {
    await sendBoth();
    const agents = (await (await json('GET', '/v1/agents')).json()) as { agent: string; sessions: number; traces: number; spans: number }[];
    expect(agents.map((a) => [a.agent, a.sessions, a.traces, a.spans])).toEqual([
      ['tenant-a', 1, 1, 2],
      ['tenant-b', 1, 1, 2],
    ]);
  });

  it("a signal of agent A never judges B's messages; a signal for all agents labels each agent's own target", async () => {
    await sendBoth();
    for (const scope of ['span', 'trace', 'session'] as const) {
      const own = (await (await json('GET', `/v1/signals/card-${scope}-tenant-a/labels`)).json()) as { items: { agent: string; targetId: string; value: string; explanation: string }[] };
      expect(own.items.map((l) => [l.agent, l.value])).toEqual([['tenant-a', 'no']]);
      expect(JSON.stringify(own)).not.toContain('4111');
      const all = (await (await json('GET', `/v1/signals/card-${scope}-all/labels`)).json()) as { items: { agent: string; targetId: string; value: string }[] };
      expect(all.items.map((l) => [l.agent, l.targetId, l.value]).sort()).toEqual([
        ['tenant-a', scope === 'span' ? LLM : scope === 'trace' ? TRACE : '1', 'no'],
        ['tenant-b', scope === 'span' ? LLM : scope === 'trace' ? TRACE : '1', 'yes'],
      ]);
    }
  });

  it("target routes answer only the named agent's data, and 409 asking for the agent when the id is shared", async () => {
    await sendBoth();
    for (const [kind, id] of [['session', '1'], ['trace', TRACE], ['span', LLM]]) {
      const ambiguous = await json('GET', `/v1/targets/${kind}/${id}`);
      expect(ambiguous.status).toBe(409);
      const body = (await ambiguous.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/Several agents have a .* name one with agent/);
      expect(JSON.stringify(body)).not.toContain('4111');

      const a = await json('GET', `/v1/targets/${kind}/${id}?agent=tenant-a`);
      expect(a.status).toBe(200);
      const view = (await a.json()) as { agent: string; messages: { value: string }[]; labels: { agent: string }[] };
      expect(view.agent).toBe('tenant-a');
      expect(view.messages.map((m) => m.value)).toEqual(['hello, where is my parcel?', 'tenant-a answers.']);
      expect(view.labels.every((l) => l.agent === 'tenant-a')).toBe(true);
      expect(JSON.stringify(view)).not.toContain('4111');

      const b = (await (await json('GET', `/v1/targets/${kind}/${id}?agent=tenant-b`)).json()) as { agent: string; messages: { value: string }[] };
      expect(b.agent).toBe('tenant-b');
      expect(b.messages.map((m) => m.value)).toEqual([SECRET, 'tenant-b answers.']);

      const other = await json('GET', `/v1/targets/${kind}/${id}?agent=tenant-c`);
      expect(other.status).toBe(404);
    }
  });

  it('an id only one agent has answers without the agent (the library API the same way)', async () => {
    await json('POST', '/v1/traces', exportOf('tenant-a', 'hello', T0));
    const res = await json('GET', '/v1/targets/session/1');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agent: string }).agent).toBe('tenant-a');
    await expect(service.api.target('session', '1', 'tenant-b')).rejects.toMatchObject({ code: 'not_found' });
    await json('POST', '/v1/traces', exportOf('tenant-b', SECRET, T0 + 2000));
    await expect(service.api.target('session', '1')).rejects.toMatchObject({ code: 'conflict' });
    expect((await service.api.target('session', '1', 'tenant-b')).messages[0].value).toBe(SECRET);
  });

  it('a session resumed by one agent re-labels that agent only', async () => {
    await sendBoth();
    const session = async () =>
      ((await (await json('GET', '/v1/signals/card-session-all/labels')).json()) as { items: { agent: string; revision: string }[] }).items.map((l) => `${l.agent}@${l.revision}`).sort();
    expect(await session()).toEqual(['tenant-a@2', 'tenant-b@2']);
    const later = exportOf('tenant-a', 'my card was charged twice', T0 + 3 * 60 * 60_000);
    for (const s of later.resourceSpans[0].scopeSpans[0].spans) {
      s.traceId = '6b8efff798038103d269b633813fc60c';
      s.spanId = s.spanId.replace('eee', 'fff');
      if ('parentSpanId' in s) s.parentSpanId = ROOT.replace('eee', 'fff');
    }
    await json('POST', '/v1/traces', later);
    clock += 4 * 60 * 60_000;
    await service.tick(clock);
    expect(await session()).toEqual(['tenant-a@4', 'tenant-b@2']);
  });
});
