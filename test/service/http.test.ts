import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal } from './fixtures.js';
import { otlpTurn } from './otlp-fixture.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let service: SignalsService;
let app: ReturnType<typeof createApp>;
let clock = T0;

beforeEach(async () => {
  dir = newStoreDir('signals-http-');
  store = await openTestStore(dir);
  clock = T0 + 5000;
  service = createSignalsService(store, { now: () => clock });
  app = createApp({ ...configFromEnv({}), signals: service });
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

const json = (method: string, path: string, body?: unknown) =>
  app.request(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('signals REST routes', () => {
  it('create, state, ingest through POST /v1/traces, labels, distribution, target, agents, runs', async () => {
    const created = await json('POST', '/v1/signals', { definition: refundSignal('span'), state: 'active' });
    expect(created.status).toBe(201);
    const sig = (await created.json()) as { id: string; version: number };
    expect(sig.version).toBe(1);

    const traced = await json('POST', '/v1/traces', otlpTurn('0af7651916cd43dd8448eb211c80319c', T0, 'I want a refund'));
    expect(traced.status).toBe(200);
    await json('POST', '/v1/traces', otlpTurn('1af7651916cd43dd8448eb211c80319c', T0 + 60_000, 'hello there'));

    const labels = (await (await json('GET', '/v1/signals/refund-span/labels')).json()) as { items: { targetId: string; value: string }[]; nextCursor: null };
    expect(labels.items.map((l) => [l.targetId, l.value])).toEqual([
      ['1af7651916cd4302', 'no'],
      ['0af7651916cd4302', 'yes'],
    ]);
    const yes = (await (await json('GET', '/v1/signals/refund-span/labels?value=yes')).json()) as { items: unknown[] };
    expect(yes.items).toHaveLength(1);
    const dist = await (await json('GET', '/v1/signals/refund-span/distribution?bucket=1h&since=2026-11-30T10:00:00Z&until=2026-11-30T11:00:00Z')).json();
    expect(dist).toEqual([{ start: '2026-11-30T10:00:00.000Z', counts: { yes: 1, no: 1 } }]);

    const target = (await (await json('GET', '/v1/targets/span/0af7651916cd4302')).json()) as { messages: { from: string; value: string }[]; labels: unknown[] };
    expect(target.messages).toEqual([
      { from: 'human', value: 'I want a refund' },
      { from: 'gpt', value: 'I can help with that.' },
    ]);
    expect(target.labels).toHaveLength(1);
    expect(await (await json('GET', '/v1/agents')).json()).toEqual([
      { agent: 'shop', sessions: 1, traces: 2, spans: 4, firstSeen: '2026-11-30T10:00:00.000Z', lastSeen: '2026-11-30T10:01:01.000Z' },
    ]);

    const session = await json('POST', '/v1/signals', { definition: refundSignal('session') });
    expect(session.status).toBe(201);
    const run = await json('POST', '/v1/signals/refund-session/runs', { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' });
    expect(run.status).toBe(202);
    const { id } = (await run.json()) as { id: string };
    await service.driveRun(id);
    expect(await (await json('GET', `/v1/runs/${id}`)).json()).toMatchObject({ status: 'done', total: 1, done: 1, counts: { yes: 1 } });

    const patched = await json('PATCH', '/v1/signals/refund-span', { sample_rate: 0.5 });
    expect(await patched.json()).toMatchObject({ signal: { version: 2 }, changes: ['sample_rate: 1 → 0.5'] });
    const versions = (await (await json('GET', '/v1/signals/refund-span/versions')).json()) as unknown[];
    expect(versions).toHaveLength(2);
    const listed = (await (await json('GET', '/v1/signals')).json()) as { name: string; labelled: number }[];
    expect(listed.map((s) => [s.name, s.labelled])).toEqual([
      ['refund-session', 1],
      ['refund-span', 2],
    ]);
  });

  it('maps service errors to 4xx JSON bodies', async () => {
    const missing = await json('GET', '/v1/signals/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No signal "nope" (give its id or name; see signals list)' } });

    const invalid = await json('POST', '/v1/signals', { definition: { ...refundSignal('span'), sample_rate: 0 } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: { code: 'invalid', message: 'Invalid signal definition: sample_rate: must be above 0', details: ['sample_rate: must be above 0'] },
    });

    await json('POST', '/v1/signals', { definition: refundSignal('span') });
    const state = await json('POST', '/v1/signals/refund-span/state', { state: 'disabled' });
    expect(state.status).toBe(409);
    const scope = await json('PATCH', '/v1/signals/refund-span', { scope: 'session' });
    expect(scope.status).toBe(400);
    expect(((await scope.json()) as { error: { message: string } }).error.message).toContain('create a new signal');
    const badJson = await app.request('/v1/signals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    const badKind = await json('GET', '/v1/targets/turn/x');
    expect(badKind.status).toBe(400);
    const badBucket = await json('GET', '/v1/signals/refund-span/distribution?bucket=soon');
    expect(badBucket.status).toBe(400);
    expect((await json('GET', '/v1/runs/run_missing')).status).toBe(404);
  });

  // Agent names come from exporters' attributes: names that only look alike (an invisible character, odd white space,
  // another Unicode composition) are one agent, stored under the name without them, and the answer counts them.
  it('stores agent names that look alike as one agent and warns of it in partialSuccess, on every store', async () => {
    const asService = (name: string, i: number, agent?: string) => {
      const exp = otlpTurn(`${i}af7651916cd43dd8448eb211c80319c`, T0 + i * 60_000, 'hello');
      exp.resourceSpans[0].resource.attributes = [{ key: 'service.name', value: { stringValue: name } }];
      if (agent !== undefined) exp.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({ key: 'gen_ai.agent.name', value: { stringValue: agent } });
      return exp;
    };
    const sent = [asService('shop', 0), asService('shop\u200b', 1), asService('\u202eshop', 2), asService(' shop\u00a0', 3), asService('sh\u200dop\ufe0f', 4)];
    sent.push(asService('shop', 5, 'caf\u00e9'), asService('shop', 6, 'cafe\u0301'), asService('shop', 7, 'caf\u00e9\u2066'));
    const answers: unknown[] = [];
    for (const body of sent) {
      const res = await json('POST', '/v1/traces', body);
      expect(res.status).toBe(200);
      answers.push(await res.json());
    }
    const warned = (n: number) => ({ partialSuccess: { rejectedSpans: 0, errorMessage: `${n} span(s) named an agent or service with invisible characters, odd white space or compatibility characters (full-width, ligatures; not in Unicode NFKC form): stored under that name without them` } });
    expect(answers).toEqual([{}, warned(2), warned(2), warned(2), warned(2), {}, warned(2), warned(2)]);
    const agents = (await (await json('GET', '/v1/agents')).json()) as { agent: string; traces: number }[];
    expect(agents.map((a) => [a.agent, a.traces]).sort()).toEqual([
      ['caf\u00e9', 3],
      ['shop', 5],
    ]);
    // A signal names an agent as stored: a look-alike is refused, saying the name it would be.
    const refused = await json('POST', '/v1/signals', { definition: { ...refundSignal('span'), agent: 'shop\u200b' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('stored as \\"shop\\"');
  });

  // A full-width or ligature name reads as the plain one: one agent, counted like the invisible characters above. A
  // name mixing scripts drawn alike cannot be folded into another (a Cyrillic letter is not a Latin one): ingest keeps
  // it (the exporter's data), and a signal may not name it.
  it('stores a full-width agent name under the plain one, counted; keeps a mixed-script name and refuses it in a signal, on every store', async () => {
    const asService = (name: string, i: number) => {
      const exp = otlpTurn(`${i}bf7651916cd43dd8448eb211c80319c`, T0 + i * 60_000, 'hello');
      exp.resourceSpans[0].resource.attributes = [{ key: 'service.name', value: { stringValue: name } }];
      return exp;
    };
    const answers: unknown[] = [];
    for (const body of [asService('shop', 0), asService('\uff53\uff48\uff4f\uff50', 1), asService('\ufb01nance', 2), asService('p\u0430ypal', 3)]) {
      const res = await json('POST', '/v1/traces', body);
      expect(res.status).toBe(200);
      answers.push(await res.json());
    }
    const warned = { partialSuccess: { rejectedSpans: 0, errorMessage: '2 span(s) named an agent or service with invisible characters, odd white space or compatibility characters (full-width, ligatures; not in Unicode NFKC form): stored under that name without them' } };
    expect(answers).toEqual([{}, warned, warned, {}]);
    const agents = (await (await json('GET', '/v1/agents')).json()) as { agent: string; traces: number }[];
    expect(agents.map((a) => [a.agent, a.traces]).sort()).toEqual([
      ['finance', 1],
      ['p\u0430ypal', 1],
      ['shop', 2],
    ]);
    const refused = await json('POST', '/v1/signals', { definition: { ...refundSignal('span'), agent: 'p\u0430ypal' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/json');
    expect(JSON.stringify(await refused.json())).toContain('p\\\\u0430ypal mixes Latin and Cyrillic letters');
    const fullWidth = await json('POST', '/v1/signals', { definition: { ...refundSignal('span'), agent: '\uff53hop' } });
    expect(fullWidth.status).toBe(400);
    expect(JSON.stringify(await fullWidth.json())).toContain('stored as \\"shop\\"');
  });

  // PostgreSQL text cannot hold a NUL: an id or filter holding one (%00) finds nothing, as on every store, never a 5xx.
  it('answers a NUL in a path or query like any unknown id, on every store', async () => {
    await json('POST', '/v1/signals', { definition: refundSignal('span') });
    await json('POST', '/v1/traces', otlpTurn('0af7651916cd43dd8448eb211c80319c', T0, 'I want a refund'));
    const paths = [
      '/v1/signals/a%00b', '/v1/signals/a%00b/versions', '/v1/signals/a%00b/labels', '/v1/signals/a%00b/distribution', '/v1/signals/a%00b/judges',
      '/v1/signals/a%00b/review-queue', '/v1/signals/a%00b/runs', '/v1/runs/a%00b', '/v1/runs?signal=a%00b', '/v1/targets/session/a%00b',
      '/v1/targets/trace/a%00b?agent=shop%00', '/v1/sessions?agent=a%00b', '/v1/traces?agent=a%00b&q=x%00y', '/v1/sessions/a%00b/spans?agent=a%00b',
      '/v1/traces/a%00b/spans', '/v1/traffic?agent=a%00b', '/v1/alerts?signal=a%00b', '/v1/alerts/a%00b/history', '/v1/signals?agent=a%00b',
      '/v1/signals/refund-span/labels?value=y%00es', '/v1/signals/refund-span/labels?cursor=a%00b',
    ];
    for (const path of paths) {
      const res = await json('GET', path);
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(500);
      expect(res.headers.get('content-type'), path).toContain('application/json');
    }
  });
});
