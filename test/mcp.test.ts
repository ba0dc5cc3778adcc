// The MCP server with the SDK's own client: over stdio (`signals mcp`, the built CLI as a child process) and over
// Streamable HTTP (`/mcp` on the Node server, bearer token): list the tools, call each, error cases.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/http/app.js';
import { startNodeServer, type NodeServer } from '../src/http/node.js';
import { summarizeDistribution } from '../src/mcp/tools.js';
import { startNodeService, type NodeService } from '../src/service/node-runner.js';
import { otlpTurn } from './service/otlp-fixture.js';
import { BUILT_CLI as CLI } from './helpers/built-cli.js';

const NOW = Date.now();
const TRACES = ['3af7651916cd43dd8448eb211c80319c', '4af7651916cd43dd8448eb211c80319c', '5af7651916cd43dd8448eb211c80319c'];
const TEXTS = ['I want a refund for my order', 'hi, where is my parcel?', 'refund please, it arrived broken'];
const TOOLS = [
  'activate_signal', 'alert_history', 'archive_signal', 'backtest_alert', 'create_alert', 'create_signal', 'disable_signal', 'edit_alert',
  'edit_signal', 'get_run', 'get_signal', 'get_target', 'judge_agreement', 'label_distribution', 'list_alerts', 'list_providers', 'list_runs', 'list_signals',
  'list_templates', 'list_traffic', 'list_versions', 'pause_alert', 'query_labels', 'restore_signal', 'review_label', 'start_backfill', 'test_signal',
];
const REFUND = {
  name: 'refund',
  agent: 'shop',
  scope: 'trace',
  type: 'binary',
  prompt: 'Asks for a refund?',
  rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
};

type Call = (name: string, args?: Record<string, unknown>) => Promise<{ isError?: boolean; text: string; data: any }>;

function caller(client: Client): Call {
  return async (name, args = {}) => {
    const r = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[] };
    const text = r.content.map((c) => c.text).join('');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    return { isError: r.isError, text, data };
  };
}

describe.each(['stdio', 'http'] as const)('MCP over %s', (transport) => {
  let dir = '';
  let node: NodeService;
  let server: NodeServer | undefined;
  let client: Client;
  let call: Call;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `signals-mcp-${transport}-`));
    const db = join(dir, 'signals.db');
    node = await startNodeService({ SIGNALS_DB: db }, { intervalMs: 100, onError: () => undefined });
    for (const [i, id] of TRACES.entries()) await node.service.ingest(otlpTurn(id, NOW - 3_600_000 + i * 60_000, TEXTS[i]));
    client = new Client({ name: 'signals-test', version: '1.0.0' });
    if (transport === 'http') {
      server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: 'mcp-token' }), signals: node.service }, 0, '127.0.0.1');
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: 'Bearer mcp-token' } } }));
    } else {
      // The child process opens the same store file; backfills run in the test's service (its timer).
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--db', db], env: { PATH: process.env.PATH ?? '' }, stderr: 'pipe' }));
    }
    call = caller(client);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every tool, each with a description and described input fields', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description, t.name).toMatch(/\w{4,}/);
      const props = (t.inputSchema as { properties?: Record<string, { description?: string }> }).properties ?? {};
      for (const [k, p] of Object.entries(props)) expect(p.description, `${t.name}.${k}`).toMatch(/\w{3,}/);
    }
  });

  it('templates, create, test, edit, states and list', async () => {
    const templates = await call('list_templates');
    expect(templates.data.map((t: { id: string }) => t.id)).toEqual(['nsfw', 'jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome']);
    expect(templates.data.find((t: { id: string }) => t.id === 'task-outcome').labels).toEqual(['completed', 'partial', 'failed', 'abandoned']);

    const created = await call('create_signal', { definition: REFUND });
    expect(created.isError).toBeFalsy();
    expect(created.data).toMatchObject({ name: 'refund', state: 'draft', version: 1 });
    const fromTemplate = await call('create_signal', { template: 'frustration', overrides: { agent: 'shop' }, activate: true });
    expect(fromTemplate.data).toMatchObject({ name: 'frustration', state: 'active', scope: 'session' });

    const tested = await call('test_signal', { signal: 'refund', sample: 10 });
    expect(tested.data.distribution).toEqual({ yes: 2, no: 1 });
    expect(tested.data.rows).toHaveLength(3);
    expect(tested.data.rows[0]).toEqual({ target: expect.stringMatching(/^trace\//), label: expect.any(String), judge: 'rules', explanation: expect.any(String) });

    const edited = await call('edit_signal', { signal: 'refund', changes: { sample_rate: 0.5 } });
    expect(edited.data).toMatchObject({ signal: { version: 2 }, changes: ['sample_rate: 1 → 0.5'] });
    expect((await call('get_signal', { signal: 'refund' })).data.definition.sample_rate).toBe(0.5);
    expect((await call('activate_signal', { signal: 'refund' })).data.state).toBe('active');
    expect((await call('disable_signal', { signal: 'frustration' })).data.state).toBe('disabled');
    expect((await call('archive_signal', { signal: 'frustration' })).data.state).toBe('archived');
    const list = await call('list_signals');
    expect(list.data.map((s: { name: string }) => s.name)).toEqual(['refund']);
    expect((await call('list_signals', { include_archived: true })).data).toHaveLength(2);
  });

  it('backfill, follow the run, labels (paginated), distribution (summarized), a target', async () => {
    const started = await call('start_backfill', { signal: 'refund', since: '1d', rate: 1 });
    expect(started.data).toMatchObject({ status: 'queued', total: 3 });
    let run = started.data;
    for (let i = 0; i < 100 && run.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await call('get_run', { run: started.data.id })).data;
    }
    expect(run).toMatchObject({ status: 'done', done: 3, counts: { yes: 2, no: 1 } });
    // Runs a page at a time, newest first: a second run (nothing left to label) comes before the first.
    const second = (await call('start_backfill', { signal: 'refund', since: '1d', rate: 1 })).data;
    const runs1 = await call('list_runs', { signal: 'refund', limit: 1 });
    expect(runs1.data.runs.map((r: { id: string }) => r.id)).toEqual([second.id]);
    expect(typeof runs1.data.next_cursor).toBe('string');
    const runs2 = await call('list_runs', { limit: 1, cursor: runs1.data.next_cursor });
    expect(runs2.data).toEqual({ runs: [expect.objectContaining({ id: started.data.id, status: 'done' })], next_cursor: null });
    expect(await call('list_runs', { cursor: 'not a cursor' })).toMatchObject({ isError: true });

    const page1 = await call('query_labels', { signal: 'refund', limit: 2 });
    expect(page1.data.labels).toHaveLength(2);
    expect(page1.data.labels[0]).toEqual({ target: `trace/${TRACES[2]}`, agent: 'shop', value: 'yes', version: 2, judge: 'rules', explanation: expect.any(String), at: expect.any(String), run: started.data.id });
    const page2 = await call('query_labels', { signal: 'refund', limit: 2, cursor: page1.data.next_cursor });
    expect(page2.data).toEqual({ labels: [expect.objectContaining({ target: `trace/${TRACES[0]}` })], next_cursor: null });
    expect((await call('query_labels', { signal: 'refund', value: 'no' })).data.labels.map((l: { target: string }) => l.target)).toEqual([`trace/${TRACES[1]}`]);

    const dist = await call('label_distribution', { signal: 'refund', bucket: '5m', since: '2d' });
    // 2 days of 5-minute buckets is 577: merged to at most 48, only the non-empty ones returned.
    expect(dist.data.totals).toEqual({ yes: 2, no: 1 });
    expect(dist.data.bucketsMerged).toBe(13);
    expect(dist.data.buckets.length).toBeGreaterThanOrEqual(1);
    expect(dist.data.buckets.length).toBeLessThanOrEqual(3);

    const target = await call('get_target', { kind: 'trace', id: TRACES[0], max_messages: 1 });
    expect(target.data).toMatchObject({ kind: 'trace', id: TRACES[0], agent: 'shop', messages_total: 2, messages: [{ from: 'gpt', text: 'I can help with that.' }] });
    expect(target.data.labels.map((l: { value: string }) => l.value)).toEqual(['yes']);
    expect(target.data.report).toEqual({ overall_quality: expect.any(String), quality_score: expect.any(Number), summary: expect.any(String) });
    // Targets are identified within their agent: another agent's name finds nothing.
    expect((await call('get_target', { kind: 'trace', id: TRACES[0], agent: 'shop' })).data.agent).toBe('shop');
    expect(await call('get_target', { kind: 'trace', id: TRACES[0], agent: 'other' })).toMatchObject({ isError: true, text: `No trace "${TRACES[0]}" of agent "other" in the store` });

    // A reviewer corrects one label: a human label, and the judge's agreement with reviewers counts it.
    const reviewed = await call('review_label', { signal: 'refund', id: TRACES[1], value: 'yes', reviewer: 'ana' });
    expect(reviewed.data).toMatchObject({ target: `trace/${TRACES[1]}`, value: 'yes', judge: 'human', reviewer: 'ana', version: 2 });
    expect(await call('review_label', { signal: 'refund', id: TRACES[1], value: 'maybe', reviewer: 'ana' })).toMatchObject({ isError: true, text: expect.stringContaining('value: one of yes, no') });
    const judging = await call('judge_agreement', { signal: 'refund' });
    expect(judging.data.versions[0]).toMatchObject({ version: 2, agreement: { n: 1, agree: 0, share: 0 } });
  });

  it('alerts: create, list, pause and resume, backtest', async () => {
    const created = await call('create_alert', { signal: 'refund', name: 'refunds-high', metric: 'true_rate', comparison: 'above', threshold: 0.5, window: '1h', every: '5m' });
    expect(created.isError).toBeFalsy();
    expect(created.data).toMatchObject({ name: 'refunds-high' });
    expect((await call('list_alerts', { signal: 'refund' })).data.map((a: { name: string }) => a.name)).toEqual(['refunds-high']);
    expect((await call('pause_alert', { alert: created.data.id })).data.state).toBe('paused');
    expect((await call('pause_alert', { alert: created.data.id, paused: false })).data.state).not.toBe('paused');
    const bt = await call('backtest_alert', { alert: created.data.id, since: '3h' });
    expect(bt.data.evaluations).toBeGreaterThan(30);
    expect(bt.data.transitions.map((t: { to: string }) => t.to)).toContain('firing');
    expect(bt.data).not.toHaveProperty('series');
    expect(bt.data.notifications_total).toBeGreaterThanOrEqual(1);
    expect(bt.data.next_cursor).toBeNull();
    // A part at a time: the three labels (a minute apart) fire an alert on any label in 5 minutes once, and it
    // resolves 5 minutes after the last; the second part is asked with the first answer's window and cursor.
    expect((await call('create_alert', { signal: 'refund', name: 'refunds-any', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', every: '1m' })).isError).toBeFalsy();
    const part1 = (await call('backtest_alert', { alert: 'refunds-any', since: '3h', limit: 1 })).data;
    expect([part1.transitions.map((t: { to: string }) => t.to), part1.transitions_total, part1.notifications.length, part1.notifications_total]).toEqual([['firing'], 2, 1, 2]);
    expect(typeof part1.next_cursor).toBe('string');
    const part2 = (await call('backtest_alert', { alert: 'refunds-any', since: part1.since, until: part1.until, cursor: part1.next_cursor, limit: 1 })).data;
    expect([part2.transitions.map((t: { to: string }) => t.to), part2.notifications.map((n: { kind: string }) => n.kind), part2.next_cursor]).toEqual([['ok'], ['resolved'], null]);

    // Channels are kept; alerts are named by name or id; an edit changes only the given fields.
    const hooked = await call('create_alert', {
      signal: 'refund', name: 'refunds-hook', metric: 'volume', comparison: 'above', threshold: 100, window: '30m', cooldown: '2h',
      channels: [{ type: 'webhook', url: 'https://hooks.example.com/signals' }, { type: 'email', to: ['oncall@example.com'] }],
    });
    expect(hooked.isError).toBeFalsy();
    expect(hooked.data.rule.channels).toEqual([{ type: 'webhook', url: 'https://hooks.example.com/signals' }, { type: 'email', to: ['oncall@example.com'] }]);
    const edited = await call('edit_alert', { alert: 'refunds-hook', changes: { cooldown: '15m', threshold: 50 } });
    expect(edited.data.changes).toEqual(['cooldown: "2h" → "15m"', 'threshold: 100 → 50']);
    expect(edited.data.alert.rule).toMatchObject({ cooldown: '15m', threshold: 50, window: '30m', channels: hooked.data.rule.channels });
    expect((await call('pause_alert', { alert: 'refunds-hook' })).data.state).toBe('paused');
    const history = await call('alert_history', { alert: 'refunds-hook' });
    expect(history.data.find((e: { type: string; to?: string }) => e.type === 'transition' && e.to === 'paused')).toBeTruthy();

    const versions = await call('list_versions', { signal: 'refund' });
    expect(versions.data.map((v: { version: number; changed: string[] }) => [v.version, v.changed])).toEqual([[2, ['sample_rate']], [1, ['created']]]);
  });

  it('errors are tool errors with the messages the CLI prints', async () => {
    expect(await call('get_signal', { signal: 'nope' })).toMatchObject({ isError: true, text: expect.stringMatching(/^No signal "nope"/) });
    expect(await call('create_signal', { definition: REFUND })).toMatchObject({ isError: true, text: 'A signal named "refund" exists already (edit it, or choose another name)' });
    expect(await call('edit_signal', { signal: 'refund', changes: { scope: 'session' } })).toMatchObject({ isError: true, text: expect.stringMatching(/^The scope of "refund" is trace and cannot change/) });
    expect(await call('activate_signal', { signal: 'frustration' })).toMatchObject({ isError: true, text: expect.stringContaining('archived') });
    expect(await call('get_target', { kind: 'trace', id: 'ffff' })).toMatchObject({ isError: true, text: 'No trace "ffff" in the store' });
    expect(await call('get_run', { run: 'run_x' })).toMatchObject({ isError: true, text: 'No run "run_x"' });
    expect(await call('create_alert', { signal: 'refund', name: 'bad', metric: 'true_rate', comparison: 'above', threshold: 1, window: '1m' })).toMatchObject({ isError: true, text: expect.stringContaining('window') });
    // Input validation by the SDK against the zod schema.
    expect(await call('test_signal', { signal: 'refund', sample: 500 })).toMatchObject({ isError: true, text: expect.stringMatching(/sample/) });
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/no_such_tool/);
  });
});

describe('MCP over HTTP: the bearer token', () => {
  it('401 without the token, as /v1/*', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-mcp-auth-'));
    const node = await startNodeService({ SIGNALS_DB: join(dir, 's.db') }, { intervalMs: 60_000 });
    const server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: 'mcp-token' }), signals: node.service }, 0, '127.0.0.1');
    try {
      const res = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'Missing Authorization: Bearer <token> header' } });
      const client = new Client({ name: 't', version: '1' });
      await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: 'Bearer wrong' } } }))).rejects.toThrow();
    } finally {
      await server.close();
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('signals mcp --url with a key scoped to one agent', () => {
  it("lists the key's tools only (it asks the service who the key is), and answers for that agent", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-mcp-key-'));
    const node = await startNodeService({ SIGNALS_DB: join(dir, 's.db') }, { intervalMs: 60_000 });
    const key = 'shop-key-0123456789abcdef';
    const env = { SIGNALS_API_TOKEN: 'mcp-token', SIGNALS_AGENT_KEYS: `shop=sha256:${createHash('sha256').update(key).digest('hex')}` };
    const server = await startNodeServer({ ...configFromEnv(env), signals: node.service }, 0, '127.0.0.1');
    const client = new Client({ name: 'signals-test', version: '1.0.0' });
    try {
      await node.service.api.createSignal({ definition: REFUND as never, state: 'active' });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--url', server.url], env: { PATH: process.env.PATH ?? '', SIGNALS_API_TOKEN: key }, stderr: 'pipe' }),
      );
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(['get_run', 'get_signal', 'get_target', 'judge_agreement', 'label_distribution', 'list_runs', 'list_signals', 'list_templates', 'list_traffic', 'list_versions', 'query_labels', 'review_label']);
      await expect(client.callTool({ name: 'create_signal', arguments: { name: 'x', prompt: 'y?' } })).rejects.toThrow(/create_signal not found/);
      expect((await caller(client)('list_signals')).data.map((s: { name: string }) => s.name)).toEqual(['refund']);
    } finally {
      await client.close();
      await server.close();
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('summarizeDistribution', () => {
  it('totals and at most 48 merged non-empty buckets', () => {
    const buckets = Array.from({ length: 100 }, (_, i) => ({ start: `t${i}`, counts: (i % 10 === 0 ? { yes: 1 } : i === 55 ? { no: 2 } : {}) as Record<string, number> }));
    const s = summarizeDistribution(buckets);
    expect(s.totals).toEqual({ yes: 10, no: 2 });
    expect(s.bucketsMerged).toBe(3);
    expect(s.buckets[0]).toEqual({ start: 't0', counts: { yes: 1 } });
    expect(s.buckets.find((b) => b.start === 't54')).toEqual({ start: 't54', counts: { no: 2 } });
    expect(s.buckets.length).toBeLessThanOrEqual(48);
  });
});
