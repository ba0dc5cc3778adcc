// Hostile sizes and values on the service's routes: each is a 4xx with a JSON error naming the field, never a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let service: SignalsService;
let app: ReturnType<typeof createApp>;
let alertId: string;
let runId: string;

beforeAll(async () => {
  dir = newStoreDir('signals-bounds-');
  store = await openTestStore(dir);
  service = createSignalsService(store, { now: () => T0 });
  app = createApp({ ...configFromEnv({}), signals: service });
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  const alert = await service.api.createAlert({ name: 'refunds', signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 5, window: '1h' });
  alertId = alert.id;
  runId = (await service.api.startRun('refund-span', { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' })).id;
});
afterAll(async () => {
  await store.close();
  removeStoreDir(dir);
});

const send = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

async function expectRefused(res: Response, mentions: string | RegExp): Promise<void> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { message: string; details?: string[] } };
  const text = [body.error.message, ...(body.error.details ?? [])].join('\n');
  if (typeof mentions === 'string') expect(text).toContain(mentions);
  else expect(text).toMatch(mentions);
}

const HUGE = '99999999999999999999';

describe('times out of range', () => {
  it('distribution, labels, runs, traffic and backtests answer 400 naming the field', async () => {
    await expectRefused(await send('GET', `/v1/signals/refund-span/distribution?until=${HUGE}`), 'until');
    await expectRefused(await send('GET', `/v1/signals/refund-span/distribution?since=${HUGE}d`), 'since');
    await expectRefused(await send('GET', `/v1/signals/refund-span/labels?since=${HUGE}`), 'since');
    await expectRefused(await send('GET', `/v1/traffic?until=${HUGE}`), 'until');
    await expectRefused(await send('POST', '/v1/signals/refund-span/runs', { since: '2026-11-29T00:00:00Z', until: HUGE }), 'until');
    await expectRefused(await send('POST', '/v1/signals/refund-span/runs', { since: '-275760-09-13T00:00:00Z', until: '2026-11-29T00:00:00Z' }), 'since');
    await expectRefused(await send('POST', `/v1/alerts/${alertId}/backtest`, { since: '24h', until: HUGE }), 'until');
    await expectRefused(await send('POST', `/v1/alerts/${alertId}/backtest`, { since: '100000000000000w', until: '1h' }), 'since');
  });

  it('a year past 9999 is refused, the last day of 9999 is taken', async () => {
    await expectRefused(await send('GET', '/v1/signals/refund-span/distribution?since=2026-11-30T00:00:00Z&until=10000-01-01T00:00:00Z'), 'until');
    await expectRefused(await send('GET', `/v1/signals/refund-span/labels?until=${Date.UTC(10000, 0, 1)}`), '9999-12-31');
    const ok = await send('GET', '/v1/signals/refund-span/labels?until=9999-12-31T00:00:00Z');
    expect(ok.status).toBe(200);
  });

  it('an alert duration too large for a number is not a duration', async () => {
    const res = await send('POST', '/v1/alerts', { name: 'x', signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 1, window: `${HUGE}d` });
    expect(res.status).toBe(400);
  });
});

describe('nesting in definitions', () => {
  const nested = (levels: number, leaf: Record<string, unknown>, mixed = false) => {
    let c: Record<string, unknown> = leaf;
    for (let i = 0; i < levels; i++) c = mixed && i % 2 === 1 ? { any: [c] } : { not: c };
    return c;
  };

  it('a condition nested 900 levels deep is a 400 naming the rule, not a stack overflow', async () => {
    const def = refundSignal('span', { name: 'deep', rules: { when: [{ label: 'yes', if: nested(900, { phrases: ['refund'] }) }], default: 'no' } });
    await expectRefused(await send('POST', '/v1/signals', { definition: def }), /rules\.when\[0\]\.if.*nested deeper than 100 levels/);
    // The same through an edit of a stored signal.
    await expectRefused(await send('PATCH', '/v1/signals/refund-span', { rules: def.rules }), 'nested deeper');
  });

  it('conditions a person writes (a dozen levels) still validate', async () => {
    const def = refundSignal('span', { name: 'nested-ok', rules: { when: [{ label: 'yes', if: nested(12, { phrases: ['refund'] }, true) }], default: 'no' } });
    expect((await send('POST', '/v1/signals', { definition: def })).status).toBe(201);
  });

  it('an expr with 5,000 nested parentheses, or 3,000 chained terms, is a 400 naming the position', async () => {
    const parens = (n: number) => `${'('.repeat(n)}turns > 1${')'.repeat(n)}`;
    const expr = (source: string) => ({ definition: refundSignal('span', { name: 'parens', rules: { when: [{ label: 'yes', if: { expr: source } }], default: 'no' } }) });
    await expectRefused(await send('POST', '/v1/signals', expr(parens(5000))), /rules\.when\[0\]\.if\.expr: .*too long/);
    await expectRefused(await send('POST', '/v1/signals', expr(parens(100))), /nested too deeply: at most 64 levels/);
    expect((await send('POST', '/v1/signals', expr(parens(30)))).status).toBe(201);
    const chain = Array.from({ length: 3000 }, () => 'turns > 1').join(' or ');
    const long = refundSignal('span', { name: 'chain', rules: { when: [{ label: 'yes', if: { expr: chain } }], default: 'no' } });
    await expectRefused(await send('POST', '/v1/signals', { definition: long }), /too long: at most 1000/);
    const nots = `${'not '.repeat(100)}turns > 1`;
    const notDef = refundSignal('span', { name: 'nots', rules: { when: [{ label: 'yes', if: { expr: nots } }], default: 'no' } });
    await expectRefused(await send('POST', '/v1/signals', { definition: notDef }), 'nested too deeply');
  });
});

// The write routes, each with a valid body the fuzzer bends: any field replaced by a hostile value.
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(HUGE, `${HUGE}d`, '-1', '1e309', 'NaN', '', '0', '9999-99-99T99:99:99Z', '+275760-09-13T00:00:00Z', '\u0000', 'x'.repeat(100_000)),
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER * 1000, -1, 0, 1e-300),
  fc.integer({ min: 1, max: 400 }).map((levels) => {
    let v: unknown = 'x';
    for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { not: v };
    return v;
  }),
);

const ROUTES: Array<{ method: string; path: () => string; body: Record<string, unknown> }> = [
  { method: 'POST', path: () => '/v1/signals', body: { definition: refundSignal('span', { name: 'fuzzed' }), state: 'draft' } },
  { method: 'POST', path: () => '/v1/signals', body: { template: 'frustration', overrides: { name: 'fuzzed-t' } } },
  { method: 'PATCH', path: () => '/v1/signals/refund-span', body: { prompt: 'Refund?', sample_rate: 0.5 } },
  { method: 'POST', path: () => '/v1/signals/refund-span/state', body: { state: 'active' } },
  { method: 'POST', path: () => '/v1/signals/refund-span/runs', body: { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z', rate: 0.5 } },
  { method: 'POST', path: () => '/v1/signals/refund-span/test', body: { sample: 5, since: '24h', until: '1h' } },
  { method: 'POST', path: () => '/v1/signals/test', body: { definition: refundSignal('span'), conversations: [{ messages: [{ role: 'user', content: 'refund' }] }] } },
  { method: 'POST', path: () => '/v1/alerts', body: { name: 'a', signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 1, window: '1h' } },
  { method: 'POST', path: () => '/v1/alerts/backtest', body: { rule: { name: 'a', signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 1, window: '1h' }, since: '24h', until: '1h' } },
  { method: 'POST', path: () => `/v1/alerts/${alertId}/backtest`, body: { since: '24h', until: '1h' } },
  { method: 'POST', path: () => `/v1/alerts/${alertId}/pause`, body: {} },
  { method: 'POST', path: () => `/v1/runs/${runId}/cancel`, body: {} },
];

describe('fuzz of the write routes', () => {
  it('no hostile field value gives a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: ROUTES.length - 1 }), fc.array(fc.tuple(fc.string({ maxLength: 12 }), hostile), { minLength: 1, maxLength: 3 }), fc.boolean(), async (r, changes, replaceWhole, ) => {
        const route = ROUTES[r];
        const body: Record<string, unknown> = replaceWhole ? {} : structuredClone(route.body);
        const keys = Object.keys(route.body);
        for (const [i, [key, value]] of changes.entries()) {
          // Half the time a known field (so validation goes deep), else whatever key the fuzzer made.
          body[i % 2 === 0 && keys.length > 0 ? keys[key.length % keys.length] : key] = value;
        }
        const res = await send(route.method, route.path(), body);
        if (res.status >= 500) throw new Error(`${route.method} ${route.path()} answered ${res.status} to ${JSON.stringify(body).slice(0, 300)}: ${(await res.text()).slice(0, 300)}`);
        expect(res.headers.get('content-type') ?? '').toContain('json');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261206) },
    );
  });

  it('bodies that are not objects are 4xx too', async () => {
    // Pause and cancel read no body, so any body is fine there.
    for (const route of ROUTES.filter((r) => !/\/(pause|cancel)$/.test(r.path()))) {
      for (const body of ['[]', 'null', '"x"', '12', '{"a":', `${'['.repeat(2000)}${']'.repeat(2000)}`]) {
        const res = await send(route.method, route.path(), body);
        expect(res.status, `${route.method} ${route.path()} with ${body.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
  });
});
