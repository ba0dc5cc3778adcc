/**
 * Keys scoped to one agent (SIGNALS_AGENT_KEYS), the attacker's view: with two agents' traffic, signals, labels, a
 * review and an alert stored, a caller holding agent-alpha's key walks every route of the app (every REST, dashboard
 * and ingest route, each parameter filled with agent-beta's ids, `?agent=agent-beta`, bodies naming agent-beta) and
 * every MCP tool (the SDK's client), and nothing of agent-beta appears in any answer; its ingest stores agent-alpha's
 * spans and log records only. Every route names the action it needs (src/http/scoped-routes.ts), and a key is refused
 * exactly the routes whose action its whoami lacks. Over the Node server, on libsql (node project) and PostgreSQL
 * (postgres project).
 */
import { createHash } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { LANGFUSE_OTEL_PREFIX } from '../../src/http/langfuse-path.js';
import { ROUTE_ACTIONS } from '../../src/http/scoped-routes.js';
import { ACTIONS, type Action } from '../../src/service/caller.js';
import { createHttpApi } from '../../src/service/http-api.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal } from '../service/fixtures.js';

const OPERATOR = 'operator-token-0123456789';
const ALPHA_KEY = 'alpha-key-abcdefghijklmnop';
const BETA_KEY = 'beta-key-qrstuvwxyz012345';
const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const ENV = { SIGNALS_API_TOKEN: OPERATOR, SIGNALS_AGENT_KEYS: `agent-alpha=sha256:${sha(ALPHA_KEY)},\nagent-beta=sha256:${sha(BETA_KEY)}` };

const T0 = Date.parse('2026-12-01T09:00:00Z');
const ALPHA_TRACE = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1';
const BETA_TRACE = 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2';
const BETA_SECRET = 'beta-secret-refund-4111';
const ALPHA_TEXT = 'alpha wants a refund';

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

/** One turn of `service` (its agent: the service name), session `session`, the user saying `text`. */
function turn(service: string, traceId: string, session: string, text: string, at: number) {
  const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]);
  const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `answer to ${text}` }] }]);
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', service)] },
        scopeSpans: [
          {
            spans: [
              { traceId, spanId: `${traceId.slice(0, 14)}01`, name: 'invoke_agent', startTimeUnixNano: ns(at), endTimeUnixNano: ns(at + 1000), attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.conversation.id', session)] },
              {
                traceId,
                spanId: `${traceId.slice(0, 14)}02`,
                parentSpanId: `${traceId.slice(0, 14)}01`,
                name: 'chat gpt-test',
                startTimeUnixNano: ns(at + 100),
                endTimeUnixNano: ns(at + 900),
                attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-test'), attr('gen_ai.conversation.id', session), attr('gen_ai.input.messages', input), attr('gen_ai.output.messages', output)],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** GenAI log records of `service` for a span. */
function logs(service: string, traceId: string, spanId: string, text: string) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [attr('service.name', service)] },
        scopeLogs: [{ logRecords: [{ timeUnixNano: ns(T0 + 500), traceId, spanId, attributes: [attr('event.name', 'gen_ai.user.message')], body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: text } }] } } }] }],
      },
    ],
  };
}

let dir: string;
let store: Store;
let service: SignalsService;
let server: NodeServer;
const clock = { now: T0 + 3_600_000 };
/** What of agent-beta's must never reach agent-alpha's key (besides what the request itself names). */
const beta: Record<string, string> = {};

const call = (key: string, method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'x-signals-client': 'test', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
/** An MCP SDK client on `/mcp` with `key`. */
async function mcpClient(key: string): Promise<Client> {
  const client = new Client({ name: 'attacker', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}
const asOperator = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await call(OPERATOR, method, path, body);
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
};

beforeAll(async () => {
  dir = newStoreDir('signals-agent-keys-');
  store = await openTestStore(dir);
  service = createSignalsService(store, { now: () => clock.now });
  server = await startNodeServer({ ...configFromEnv(ENV), signals: service }, 0, '127.0.0.1');
  for (const agent of ['agent-alpha', 'agent-beta', '*']) {
    const name = agent === '*' ? 'every-refund' : `${agent}-refund`;
    await asOperator('POST', '/v1/signals', { definition: { ...refundSignal('span'), name, agent }, state: 'active' });
  }
  await asOperator('POST', '/v1/traces', turn('agent-alpha', ALPHA_TRACE, 'alpha-session', ALPHA_TEXT, T0));
  await asOperator('POST', '/v1/traces', turn('agent-beta', BETA_TRACE, 'beta-session', `please, a refund: ${BETA_SECRET}`, T0 + 60_000));
  const betaSignal = await asOperator<{ id: string }>('GET', '/v1/signals/agent-beta-refund');
  const labels = await asOperator<{ items: Array<{ id: string; targetId: string }> }>('GET', '/v1/signals/agent-beta-refund/labels');
  const review = await asOperator<{ id: string }>('POST', '/v1/signals/agent-beta-refund/reviews', { kind: 'span', id: labels.items[0].targetId, value: 'no', reviewer: 'beta-reviewer-kim' });
  const alert = await asOperator<{ id: string }>('POST', '/v1/alerts', { name: 'beta-refund-alert', signal: 'agent-beta-refund', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type: 'webhook', url: 'https://hooks.example.com/beta-hook' }] });
  Object.assign(beta, {
    agent: 'agent-beta',
    secret: BETA_SECRET,
    signalId: betaSignal.id,
    signalName: 'agent-beta-refund',
    everySignal: 'every-refund',
    trace: BETA_TRACE,
    span: labels.items[0].targetId,
    session: 'beta-session',
    label: labels.items[0].id,
    review: review.id,
    reviewer: 'beta-reviewer-kim',
    alert: alert.id,
    alertName: 'beta-refund-alert',
    hook: 'hooks.example.com',
  });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
  removeStoreDir(dir);
});

/** The markers of agent-beta an answer shows, leaving out those the request named itself (an error may echo them). */
function leaked(answer: string, request: string): string[] {
  return Object.entries(beta)
    .filter(([, marker]) => !request.includes(marker) && answer.includes(marker))
    .map(([what]) => what);
}

describe('a key scoped to agent-alpha', () => {
  it('reads agent-alpha: its agent, sessions, spans, signal and labels (the walk below is not vacuous)', async () => {
    const get = async (path: string) => {
      const res = await call(ALPHA_KEY, 'GET', path);
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
      return res.json() as Promise<never>;
    };
    expect(((await get('/v1/agents')) as Array<{ agent: string }>).map((a) => a.agent)).toEqual(['agent-alpha']);
    expect(((await get('/v1/sessions')) as { items: Array<{ id: string }> }).items.map((s) => s.id)).toEqual(['alpha-session']);
    expect(((await get('/v1/signals')) as Array<{ name: string }>).map((s) => s.name)).toEqual(['agent-alpha-refund']);
    expect(((await get('/v1/signals/agent-alpha-refund/labels')) as { items: unknown[] }).items).toHaveLength(1);
    const session = (await get('/v1/targets/session/alpha-session')) as { messages: Array<{ value: string }> };
    expect(session.messages[0].value).toBe(ALPHA_TEXT);
    // Labels of its targets, whichever signal gave them (the `*` signal's too).
    const span = (await get(`/v1/targets/span/${ALPHA_TRACE.slice(0, 14)}02`)) as { labels: Array<{ signalId: string }> };
    expect(span.labels).toHaveLength(2);
    expect(((await get(`/v1/traces/${ALPHA_TRACE}/spans`)) as unknown[]).length).toBe(2);
  });

  it('walks every route with agent-beta in every parameter, query and body: no answer shows anything of agent-beta', async () => {
    const app = createApp({ ...configFromEnv(ENV), signals: service });
    const routes = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    const fills: Record<string, string[]> = {
      ref: [beta.signalId, beta.signalName, beta.everySignal, 'agent-alpha-refund'],
      name: [beta.signalName],
      id: [beta.trace, beta.session, beta.span, beta.label, beta.review, beta.alert, 'run_x'],
      kind: ['span', 'trace', 'session'],
    };
    const bodyOf = { agent: beta.agent, kind: 'span', id: beta.span, value: 'yes', reviewer: 'mallory', since: '2026-11-01T00:00:00Z', until: '2026-12-02T00:00:00Z', sample: 1, ref: beta.signalName, signal: beta.signalName, definition: { ...refundSignal('span'), name: 'mallory', agent: beta.agent }, state: 'active', name: 'mallory', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [] };
    let visited = 0;
    const problems: string[] = [];
    for (const route of routes) {
      const [method, pattern] = route.split(' ');
      let paths = [pattern];
      for (const [param, values] of Object.entries(fills)) {
        if (!pattern.includes(`:${param}`)) continue;
        paths = paths.flatMap((p) => values.map((v) => p.replace(`:${param}`, encodeURIComponent(v))));
      }
      for (const path of paths) {
        for (const query of ['', `?agent=${beta.agent}`, `?signal=${beta.signalName}&value=yes`, `?session=${beta.session}`, `?id=${beta.trace}`, `?q=refund`]) {
          const body = method === 'GET' || method === 'DELETE' ? undefined : bodyOf;
          const res = await call(ALPHA_KEY, method, `${path}${query}`, body);
          const text = await res.text();
          visited++;
          if (res.status >= 500) problems.push(`${method} ${path}${query}: ${res.status} ${text.slice(0, 200)}`);
          const found = leaked(text, `${path}${query} ${JSON.stringify(body ?? {})}`);
          if (found.length > 0) problems.push(`${method} ${path}${query} (${res.status}) shows agent-beta's ${found.join(', ')}: ${text.slice(0, 300)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(visited).toBeGreaterThan(300);
    // What the walk tried to change of agent-beta's is as it was (the operator's view).
    const betaLabels = await asOperator<{ items: Array<{ judge: string; reviewer: string | null }> }>('GET', '/v1/signals/agent-beta-refund/labels');
    expect(betaLabels.items.filter((l) => l.judge === 'human').map((l) => l.reviewer)).toEqual([beta.reviewer]);
    expect((await asOperator<Array<{ name: string }>>('GET', '/v1/signals')).map((s) => s.name).sort()).toEqual(['agent-alpha-refund', 'agent-beta-refund', 'every-refund']);
    expect((await asOperator<Array<{ name: string; paused?: boolean }>>('GET', '/v1/alerts')).map((a) => a.name)).toEqual([beta.alertName]);
  });

  it("refuses the operator's routes with 403, and agent-beta's things as if they did not exist", async () => {
    for (const [method, path] of [['GET', '/v1/alerts'], ['GET', '/v1/providers'], ['GET', '/v1/pending'], ['GET', '/v1/metrics'], ['POST', '/v1/signals'], ['POST', '/v1/signals/test']] as const) {
      const res = await call(ALPHA_KEY, method, path, method === 'POST' ? { name: 'x', prompt: 'y' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect((await call(ALPHA_KEY, 'GET', `/v1/signals/${beta.signalName}`)).status).toBe(404);
    expect((await call(ALPHA_KEY, 'GET', `/v1/targets/session/${beta.session}`)).status).toBe(404);
    expect((await call(ALPHA_KEY, 'GET', `/v1/targets/session/${beta.session}?agent=${beta.agent}`)).status).toBe(403);
    // Another agent's signal as a filter answers as a missing one: no oracle of other agents' signal names.
    for (const list of ['sessions', 'traces']) {
      for (const filter of ['signal', 'unlabelled']) {
        const foreign = await call(ALPHA_KEY, 'GET', `/v1/${list}?${filter}=${beta.signalName}`);
        const missing = await call(ALPHA_KEY, 'GET', `/v1/${list}?${filter}=no-such-signal`);
        expect([foreign.status, missing.status], `${list}?${filter}=`).toEqual([404, 404]);
        expect((await foreign.text()).replace(beta.signalName, 'X')).toBe((await missing.text()).replace('no-such-signal', 'X'));
      }
    }
    // A key that is no key, and the operator's token unchanged.
    expect((await call('not-a-key', 'GET', '/v1/agents')).status).toBe(401);
    expect(((await asOperator<Array<{ agent: string }>>('GET', '/v1/agents')).map((a) => a.agent))).toEqual(['agent-alpha', 'agent-beta']);
  });

  it('every MCP tool (the operator\'s too), called with agent-beta in its arguments, shows nothing of agent-beta', async () => {
    const operator = await mcpClient(OPERATOR);
    const { tools } = await operator.listTools();
    await operator.close();
    expect(tools.length).toBeGreaterThan(20);
    const client = await mcpClient(ALPHA_KEY);
    try {
      const problems: string[] = [];
      for (const tool of tools) {
        const properties = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
        for (const ref of [beta.signalName, beta.signalId, beta.everySignal]) {
          const args: Record<string, unknown> = {};
          for (const key of Object.keys(properties)) {
            if (/signal|ref/.test(key)) args[key] = ref;
            else if (key === 'agent') args[key] = beta.agent;
            else if (key === 'kind') args[key] = 'session';
            else if (key === 'id' || key === 'target' || key === 'session') args[key] = beta.session;
            else if (key === 'since') args[key] = '2026-11-01T00:00:00Z';
            else if (key === 'until') args[key] = '2026-12-02T00:00:00Z';
          }
          const result = await client.callTool({ name: tool.name, arguments: args }).catch((e: Error) => ({ content: [{ type: 'text', text: e.message }] }));
          const text = JSON.stringify(result);
          const found = leaked(text, JSON.stringify(args));
          if (found.length > 0) problems.push(`${tool.name}(${JSON.stringify(args)}) shows agent-beta's ${found.join(', ')}: ${text.slice(0, 300)}`);
        }
      }
      expect(problems).toEqual([]);
      // Its own agent through the same tools.
      const own = JSON.stringify(await client.callTool({ name: 'list_signals', arguments: {} }));
      expect(own).toContain('agent-alpha-refund');
    } finally {
      await client.close();
    }
  });

  it('whoami says who the key is and what it may do; the operator may do everything', async () => {
    const alpha = (await (await call(ALPHA_KEY, 'GET', '/v1/whoami')).json()) as { role: string; agent: string; can: Record<string, boolean>; note: string };
    expect([alpha.role, alpha.agent]).toEqual(['agent', 'agent-alpha']);
    expect(Object.entries(alpha.can).filter(([, yes]) => yes).map(([a]) => a).sort()).toEqual(['ingest', 'read', 'review']);
    for (const action of ['change_signals', 'test_signals', 'backfill', 'alerts', 'providers', 'pending']) expect(alpha.can[action], action).toBe(false);
    expect(alpha.note).toContain('operator');
    const op = await asOperator<{ role: string; agent: null; can: Record<string, boolean> }>('GET', '/v1/whoami');
    expect([op.role, op.agent, Object.values(op.can).every(Boolean)]).toEqual(['operator', null, true]);
    expect((await call('not-a-key', 'GET', '/v1/whoami')).status).toBe(401);
    // The CLI's --url client (and `signals mcp --url`) asks the same.
    expect(await createHttpApi(server.url, ALPHA_KEY).whoami()).toEqual(alpha);
  });

  it("MCP lists only the tools the key may call; the others are refused and change nothing; no resources or prompts", async () => {
    const operator = await mcpClient(OPERATOR);
    const all = (await operator.listTools()).tools.map((t) => t.name).sort();
    await operator.close();
    const client = await mcpClient(ALPHA_KEY);
    try {
      const listed = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(listed).toEqual(['get_run', 'get_signal', 'get_target', 'judge_agreement', 'label_distribution', 'list_runs', 'list_signals', 'list_templates', 'list_traffic', 'list_versions', 'query_labels', 'review_label']);
      const capabilities = client.getServerCapabilities() ?? {};
      expect([capabilities.resources, capabilities.prompts]).toEqual([undefined, undefined]);
      expect(client.getInstructions()).toContain('operator');
      const before = await asOperator<{ version: number; state: string }>('GET', '/v1/signals/agent-alpha-refund');
      const hidden = all.filter((name) => !listed.includes(name));
      expect(hidden).toEqual(expect.arrayContaining(['create_signal', 'edit_signal', 'archive_signal', 'test_signal', 'start_backfill', 'list_alerts', 'create_alert', 'backtest_alert', 'list_providers']));
      const args = { signal: 'agent-alpha-refund', name: 'alpha-made', prompt: 'Is it?', changes: { sample_rate: 0.5 }, since: '24h', alert: beta.alertName, metric: 'volume', comparison: 'above', threshold: 0, window: '5m', sample: 1 };
      for (const name of hidden) {
        const outcome = await client.callTool({ name, arguments: args }).then((r) => JSON.stringify(r), (e: Error) => `refused: ${e.message}`);
        expect(outcome, name).toMatch(new RegExp(`^refused: .*Tool ${name} not found`));
      }
      const after = await asOperator<{ version: number; state: string }>('GET', '/v1/signals/agent-alpha-refund');
      expect([after.version, after.state]).toEqual([before.version, before.state]);
      expect((await asOperator<Array<{ name: string }>>('GET', '/v1/signals')).map((s) => s.name)).not.toContain('alpha-made');
      expect(await asOperator<unknown>('GET', '/v1/runs')).toEqual({ items: [], nextCursor: null });
      // What it may call works for its own agent.
      expect(JSON.stringify(await client.callTool({ name: 'query_labels', arguments: { signal: 'agent-alpha-refund' } }))).toContain('agent-alpha');
    } finally {
      await client.close();
    }
  });

  it("ingests agent-alpha's spans and log records only: another agent's are refused and counted, none stored or moved", async () => {
    const before = await asOperator<Array<{ agent: string; spans: number }>>('GET', '/v1/agents');
    // Spans of agent-beta's service sent with agent-alpha's key.
    const spans = await call(ALPHA_KEY, 'POST', '/v1/traces', turn('agent-beta', 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3', 'beta-session', 'injected by alpha', T0 + 120_000));
    expect(spans.status).toBe(200);
    expect(((await spans.json()) as { partialSuccess?: { rejectedSpans?: number } }).partialSuccess?.rejectedSpans).toBe(2);
    // A span of its own service under an agent span of agent-beta's (its agent comes from that stored ancestor).
    const named = turn('agent-beta', 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4', 'beta-named', 'x', T0 + 90_000).resourceSpans[0];
    const agentSpan = { ...named.scopeSpans[0].spans[0], attributes: [...named.scopeSpans[0].spans[0].attributes, attr('gen_ai.agent.name', 'agent-beta')] };
    await asOperator('POST', '/v1/traces', { resourceSpans: [{ ...named, scopeSpans: [{ spans: [agentSpan] }] }] });
    const beforeNested = await asOperator<Array<{ agent: string; spans: number }>>('GET', '/v1/agents');
    const under = turn('agent-alpha', 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4', 'beta-named', 'under beta', T0 + 90_000).resourceSpans[0];
    const nested = await call(ALPHA_KEY, 'POST', '/v1/traces', { resourceSpans: [{ ...under, scopeSpans: [{ spans: [under.scopeSpans[0].spans[1]] }] }] });
    expect(((await nested.json()) as { partialSuccess?: { rejectedSpans?: number } }).partialSuccess?.rejectedSpans).toBe(1);
    expect(await asOperator('GET', '/v1/agents')).toEqual(beforeNested);
    // Log records of agent-beta's service, and of its own service naming agent-beta's span.
    const foreign = await call(ALPHA_KEY, 'POST', '/v1/logs', logs('agent-beta', BETA_TRACE, beta.span, 'injected log'));
    expect(((await foreign.json()) as { partialSuccess?: { rejectedLogRecords?: number } }).partialSuccess?.rejectedLogRecords).toBe(1);
    const own = await call(ALPHA_KEY, 'POST', '/v1/logs', logs('agent-alpha', BETA_TRACE, beta.span, 'injected log'));
    expect(((await own.json()) as { partialSuccess?: { rejectedLogRecords?: number } }).partialSuccess?.rejectedLogRecords).toBe(1);
    expect((await asOperator<Array<{ agent: string; spans: number }>>('GET', '/v1/agents')).find((a) => a.agent === 'agent-alpha')).toEqual(before.find((a) => a.agent === 'agent-alpha'));
    const target = await asOperator<{ messages: Array<{ value: string }> }>('GET', `/v1/targets/session/beta-session?agent=agent-beta`);
    expect(JSON.stringify(target.messages)).not.toContain('injected');
    // The Langfuse SDK's path, the key as its secret key (Basic auth): the same refusal.
    const langfuse = await fetch(`${server.url}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`pk-lf-alpha:${ALPHA_KEY}`)}`, 'content-type': 'application/json' },
      body: JSON.stringify(turn('agent-beta', 'c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4', 'beta-session', 'injected via langfuse', T0 + 150_000)),
    });
    expect(langfuse.status).toBe(200);
    expect(((await langfuse.json()) as { partialSuccess?: { rejectedSpans?: number } }).partialSuccess?.rejectedSpans).toBe(2);
    // Its own traffic goes in.
    const ok = await call(ALPHA_KEY, 'POST', '/v1/traces', turn('agent-alpha', 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5', 'alpha-session', 'second alpha turn', T0 + 180_000));
    expect(await ok.json()).toEqual({});
  });

  it("does not move agent-beta's stored spans to its own agent by naming their parent", async () => {
    // agent-beta's LLM span stored first, its agent the service name until an agent span above it names one.
    const trace = 'f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6';
    const export1 = turn('agent-beta', trace, 'beta-moved', `beta moved ${BETA_SECRET}`, T0 + 240_000);
    const llm = export1.resourceSpans[0].scopeSpans[0].spans[1];
    await asOperator('POST', '/v1/traces', { resourceSpans: [{ ...export1.resourceSpans[0], scopeSpans: [{ spans: [llm] }] }] });
    // agent-alpha's key sends the parent, naming agent-alpha (the late agent span that would take its children).
    const parent = turn('agent-alpha', trace, 'beta-moved', 'x', T0 + 240_000).resourceSpans[0];
    const root = { ...parent.scopeSpans[0].spans[0], attributes: [...parent.scopeSpans[0].spans[0].attributes, attr('gen_ai.agent.name', 'agent-alpha')] };
    expect((await call(ALPHA_KEY, 'POST', '/v1/traces', { resourceSpans: [{ ...parent, scopeSpans: [{ spans: [root] }] }] })).status).toBe(200);
    const spans = await asOperator<Array<{ agent: string; spanId: string }>>('GET', `/v1/traces/${trace}/spans?agent=agent-beta`);
    expect(spans.map((s) => s.spanId)).toEqual([llm.spanId]);
    const alphaView = await call(ALPHA_KEY, 'GET', `/v1/traces/${trace}/spans`);
    expect(await alphaView.text()).not.toContain(BETA_SECRET);
  });

  // An agent's name as stored has no invisible character (a zero-width space, a bidi override): a look-alike of
  // agent-alpha's name is agent-alpha (stored so, counted in the answer), one of agent-beta's is agent-beta's, refused.
  it("stores a look-alike of its own agent's name as agent-alpha, counted, and refuses a look-alike of agent-beta's", async () => {
    const own = await call(ALPHA_KEY, 'POST', '/v1/traces', turn('agent-alpha\u200b', '0707070707070707070707070707070a', 'alpha-session', 'alpha look-alike', T0 + 200_000));
    expect(await own.json()).toEqual({ partialSuccess: { rejectedSpans: 0, errorMessage: expect.stringMatching(/^2 span\(s\) named an agent or service with invisible characters/) } });
    const log = await call(ALPHA_KEY, 'POST', '/v1/logs', logs(' agent-alpha\u00a0', '0707070707070707070707070707070a', '0707070707070702', 'alpha log look-alike'));
    expect(await log.json()).toEqual({ partialSuccess: { rejectedLogRecords: 0, errorMessage: expect.stringMatching(/^1 GenAI event\(s\) named an agent or service/) } });
    const foreign = await call(ALPHA_KEY, 'POST', '/v1/traces', turn('\u202eagent-beta', '0808080808080808080808080808080b', 'beta-session', 'injected look-alike', T0 + 210_000));
    expect(((await foreign.json()) as { partialSuccess?: { rejectedSpans?: number } }).partialSuccess?.rejectedSpans).toBe(2);
    const agents = await asOperator<Array<{ agent: string }>>('GET', '/v1/agents');
    expect(agents.map((a) => a.agent).sort()).toEqual(['agent-alpha', 'agent-beta']);
    const spans = await asOperator<Array<{ agent: string }>>('GET', '/v1/traces/0707070707070707070707070707070a/spans?agent=agent-alpha');
    expect(spans.map((s) => s.agent)).toEqual(['agent-alpha', 'agent-alpha']);
    const beta = await asOperator<{ messages: Array<{ value: string }> }>('GET', '/v1/targets/session/beta-session?agent=agent-beta');
    expect(JSON.stringify(beta.messages)).not.toContain('injected');
  });
});

/** The routes a key must check: every route of the app under `/v1` and the Langfuse receiver's (`METHOD pattern`). */
function authenticatedRoutes(app: ReturnType<typeof createApp>): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL' && (r.path.startsWith('/v1/') || r.path.startsWith(`${LANGFUSE_OTEL_PREFIX}/`))).map((r) => `${r.method} ${r.path}`))];
}

/**
 * What a key opens (docs/security.md, "Keys scoped to one agent"), written here by hand: opening another route to
 * keys, or closing one, is a change of this list, not only of src/http/scoped-routes.ts.
 */
const KEY_ROUTES = [
  'POST /v1/traces',
  `POST ${LANGFUSE_OTEL_PREFIX}/v1/traces`,
  'POST /v1/logs',
  'GET /v1/whoami',
  'GET /v1/signal-types',
  'GET /v1/templates',
  'POST /v1/analyze',
  'POST /v1/analyze/batch',
  'GET /v1/agents',
  'GET /v1/traffic',
  'GET /v1/traffic.svg',
  'GET /v1/sessions',
  'GET /v1/traces',
  'GET /v1/sessions/:id/spans',
  'GET /v1/traces/:id/spans',
  'GET /v1/targets/:kind/:id',
  'GET /v1/signals',
  'GET /v1/signals/:ref',
  'GET /v1/signals/:ref/versions',
  'GET /v1/signals/:ref/labels',
  'GET /v1/signals/:ref/distribution',
  'GET /v1/signals/:ref/chart.svg',
  'GET /v1/signals/:ref/review-queue',
  'GET /v1/signals/:ref/judges',
  'GET /v1/signals/:ref/runs',
  'GET /v1/runs',
  'GET /v1/runs/:id',
  'POST /v1/signals/:ref/reviews',
  'DELETE /v1/signals/:ref/reviews/:id',
];

describe('what each route needs (one declaration for the routes, whoami, the dashboard and MCP)', () => {
  it('every route under /v1 and the Langfuse path names its action, and every action written names a route of the app', () => {
    const routes = authenticatedRoutes(createApp({ ...configFromEnv(ENV), signals: service }));
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((route) => ROUTE_ACTIONS[route] === undefined)).toEqual([]);
    expect(Object.keys(ROUTE_ACTIONS).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('refuses a key a route added without an action (deny by default); the operator passes', async () => {
    const app = createApp({ ...configFromEnv(ENV), signals: service });
    app.get('/v1/added-later', (c) => c.json({ ok: true }));
    const as = (token: string) => app.request('http://127.0.0.1/v1/added-later', { headers: { authorization: `Bearer ${token}` } });
    const refused = await as(ALPHA_KEY);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await as(OPERATOR)).status).toBe(200);
  });

  it("answers a key 403 forbidden exactly when whoami says it may not do the route's action, and whoami's actions are what the routes allow", async () => {
    const can = ((await (await call(ALPHA_KEY, 'GET', '/v1/whoami')).json()) as { can: Record<Action, boolean> }).can;
    const allowed = new Set<Action>();
    const refused = new Set<Action>();
    const wrong: string[] = [];
    for (const route of authenticatedRoutes(createApp({ ...configFromEnv(ENV), signals: service }))) {
      const [method, pattern] = route.split(' ');
      // agent-alpha's own things (the walk above tries agent-beta's), so a route a key may call answers it.
      const path = pattern.replace(':ref', 'agent-alpha-refund').replace(':kind', 'session').replace(':id', 'no-such-id') + (pattern === '/v1/runs' ? '?signal=agent-alpha-refund' : '');
      const res = await call(ALPHA_KEY, method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      const text = await res.text();
      const forbidden = res.status === 403 && res.headers.get('content-type')?.startsWith('application/json') === true && (JSON.parse(text) as { error: { code: string } }).error.code === 'forbidden';
      const action = ROUTE_ACTIONS[route];
      (forbidden ? refused : allowed).add(action);
      if (forbidden === can[action]) wrong.push(`${route} needs ${action} (whoami: ${can[action]}) and answered ${res.status} ${text.slice(0, 200)}`);
      if (forbidden === KEY_ROUTES.includes(route)) wrong.push(`${route}: ${forbidden ? 'refused' : 'opened'} to a key, the docs say otherwise (${res.status})`);
    }
    expect(wrong).toEqual([]);
    // Each action is some route's, and a key's routes are exactly those of the actions whoami grants it.
    expect([...allowed, ...refused].sort()).toEqual([...ACTIONS].sort());
    expect(ACTIONS.filter((a) => allowed.has(a))).toEqual(ACTIONS.filter((a) => can[a]));
    expect(ACTIONS.filter((a) => refused.has(a))).toEqual(ACTIONS.filter((a) => !can[a]));
  });
});
