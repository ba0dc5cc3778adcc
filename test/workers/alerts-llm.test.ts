/** The alerts evaluation and notifications and the LLM judge inside workerd (Web Crypto, fetch, no node: APIs). */
import { expect, it } from 'vitest';
import { backtest, parseAlertRule, sendNotification, signatureHeader } from '../../src/alerts/index.js';
import { judgeWithLlm, MemoryVerdictCache } from '../../src/custom/llm/index.js';
import { labelSeries, showTransitions, T0 } from '../helpers/label-series.js';

it('backtests an alert in workerd', () => {
  const rule = parseAlertRule({ name: 'a', signal: 's', metric: 'true_rate', comparison: 'above', threshold: 0.5, window: '5m', for: '2m' });
  const r = backtest(rule, labelSeries('1m no | 3m yes*2 | 9m no*3'), T0, T0 + 10 * 60_000);
  expect(showTransitions(r.transitions)).toEqual(['3m ok→pending 0.667', '5m pending→firing 0.667', '8m firing→ok nodata']);
});

it('signs webhooks with Web Crypto HMAC-SHA256 (RFC 4231 test case 2)', async () => {
  expect(await signatureHeader('Jefe', 'what do ya want for nothing?')).toBe(
    'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
  const seen: Array<{ url: string; headers: Headers; body: string }> = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    seen.push({ url, headers: new Headers(init.headers), body: String(init.body) });
    return new Response('ok');
  }) as unknown as typeof fetch;
  const outcome = await sendNotification(
    { kind: 'firing', repeat: false, alert: 'a', signal: 's', metric: 'volume', labelValue: null, comparison: 'above', threshold: 1, window: '5m', value: 3, labels: 3, at: T0, activeSince: T0 },
    { type: 'webhook', url: 'http://127.0.0.1:9/hook', secret_env: 'K' },
    { fetch: fetchStub, env: { K: 'Jefe', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1', SIGNALS_CHANNEL_VARS: 'K' } },
  );
  expect(outcome.status).toBe('sent');
  expect(seen[0].headers.get('x-signals-signature')).toBe(await signatureHeader('Jefe', seen[0].body));
});

it('runs the LLM judge with an injected fetch and caches by content hash', async () => {
  let calls = 0;
  const fetchStub = (async () => {
    calls++;
    return Response.json({ choices: [{ message: { content: '{"explanation":"angry","label":"yes"}' } }], usage: { prompt_tokens: 10, completion_tokens: 2 } });
  }) as unknown as typeof fetch;
  const cache = new MemoryVerdictCache();
  const target = { kind: 'trace' as const, id: 't', agent: 'a', messages: [{ from: 'human', value: 'this is useless' }], meta: {} };
  const definition = { name: 'f', type: 'binary' as const, prompt: 'frustrated?' };
  const env = { SIGNALS_LLM_BASE_URL: 'http://127.0.0.1:9/v1', SIGNALS_LLM_MODEL: 'm', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' };
  const context = { fetch: fetchStub, env, cache, signalVersion: 1 };
  expect(await judgeWithLlm(target, definition, context)).toMatchObject({ status: 'labelled', label: 'yes', cost: { requests: 1 } });
  expect(await judgeWithLlm({ ...target, id: 'u' }, definition, context)).toMatchObject({ status: 'labelled', cost: { requests: 0 } });
  expect(calls).toBe(1);
});
