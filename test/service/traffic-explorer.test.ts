// The traffic explorer over the bundled sample as two agents' traffic: GET /v1/sessions and /v1/traces filters
// checked against what the library says of each conversation (quality, built-in types) and against the labels
// API; and the same listing through the local API, the HTTP API, the built CLI and the MCP tool (SDK client).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/index.js';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createHttpApi } from '../../src/service/http-api.js';
import type { Page, SignalsApi, TrafficItem, TrafficQuery } from '../../src/service/api.js';
import { conversationToSpans } from '../../src/service/demo-traffic.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { sampleConversations } from '../helpers/sample.js';
import { BUILT_CLI as CLI } from '../helpers/built-cli.js';

const AGENTS = ['ridgeline-support', 'harbor-coder'];
const DAY = 86_400_000;
const sample = sampleConversations();
const T0 = Date.now() - DAY;
/** Session id, agent and library report of each sample conversation as laid out below. */
const expected = sample.map((c, i) => ({
  id: `s-${String(i + 1).padStart(2, '0')}`,
  agent: AGENTS[i % 2],
  report: analyze(c.messages),
  userTurns: c.messages.filter((m) => m.from === 'human').length,
}));

let dir = '';
let db = '';
let node: NodeService;
let server: NodeServer;
let api: SignalsApi;
let http: SignalsApi;
let mcp: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-explorer-'));
  db = join(dir, 'signals.db');
  // A clock the test moves, so traces and sessions settle without waiting 30 minutes.
  let clock = Date.now();
  node = await startNodeService({ SIGNALS_DB: db }, { intervalMs: 3_600_000, onError: () => undefined, now: () => clock });
  api = node.service.api;
  await api.createSignal({ template: 'frustration', state: 'active' });
  // A rules signal that stays undecided where no rule fires: those sessions are unlabelled.
  await api.createSignal({
    definition: { name: 'refund-ask', scope: 'session', type: 'binary', prompt: 'Asks for a refund?', judge: 'rules', rules: { when: [{ label: 'yes', if: { pattern: 'refund' } }], default: 'undecided' } } as never,
    state: 'active',
  });
  for (const [i, c] of sample.entries()) {
    await node.service.ingest(
      conversationToSpans(c.messages, { agent: expected[i].agent, sessionId: expected[i].id, startMs: T0 + i * 600_000, traceIdPrefix: `e${(i + 1).toString(16).padStart(3, '0')}` }),
    );
  }
  clock += 31 * 60_000;
  await node.service.tick(clock);
  server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: 'explorer-token' }), signals: node.service }, 0, '127.0.0.1');
  http = createHttpApi(server.url, 'explorer-token');
  mcp = new Client({ name: 'explorer-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: 'Bearer explorer-token' } } }));
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await server?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every page of a listing, following nextCursor. */
async function all(list: (q: TrafficQuery) => Promise<Page<TrafficItem>>, query: TrafficQuery): Promise<TrafficItem[]> {
  const out: TrafficItem[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await list({ ...query, cursor });
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
  throw new Error('more than 50 pages');
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
const hasType = (r: (typeof expected)[number], pattern: RegExp) =>
  [r.report.interaction_signals, r.report.execution_signals, r.report.environment_signals].some((layer) =>
    Object.values(layer).some((g) => g.signals.some((s) => pattern.test(s.signal_type))),
  );

describe('traffic explorer: sessions and traces', () => {
  it('lists every session newest first, with counts, quality and built-in types as the library reports them', async () => {
    const items = await all((q) => api.sessions(q), { limit: 7 });
    expect(items.map((i) => i.id)).toEqual(expected.map((e) => e.id).reverse());
    for (const item of items) {
      const e = expected.find((x) => x.id === item.id)!;
      expect(item).toMatchObject({ agent: e.agent, settled: true, quality: e.report.overall_quality, score: e.report.quality_score, llmCalls: e.userTurns || 1 });
      expect(item.turns).toBe(e.report.turn_metrics.total_turns);
      expect(item.traces).toBe(e.userTurns || 1);
    }
  });

  it('filters by agent, quality, built-in glob, text and time, each as the library and the sample say', async () => {
    expect(ids(await all((q) => api.sessions(q), { agent: AGENTS[1] }))).toEqual(ids(expected.filter((e) => e.agent === AGENTS[1])));
    const severe = expected.filter((e) => e.report.overall_quality === 'severe');
    expect(severe.length).toBeGreaterThan(0);
    expect(ids(await all((q) => api.sessions(q), { quality: 'severe' }))).toEqual(ids(severe));
    const failing = expected.filter((e) => hasType(e, /^execution\.failure\./));
    expect(failing.length).toBeGreaterThan(0);
    expect(ids(await all((q) => api.sessions(q), { builtin: 'execution.failure.*' }))).toEqual(ids(failing));
    expect(ids(await all((q) => api.sessions(q), { builtin: '*.quit' }))).toEqual(ids(expected.filter((e) => hasType(e, /\.quit$/))));
    // Text in the messages: the sample conversations that contain the word.
    const word = 'refund';
    const withWord = expected.filter((_, i) => sample[i].messages.some((m) => m.value.toLowerCase().includes(word)));
    expect(withWord.length).toBeGreaterThan(0);
    expect(ids(await all((q) => api.sessions(q), { q: word }))).toEqual(ids(withWord));
    // Time: sessions end in order, 10 minutes apart; the last 3 end within the last window.
    const cut = new Date(T0 + 22 * 600_000).toISOString();
    expect(ids(await all((q) => api.sessions(q), { since: cut }))).toEqual(ids(expected.slice(22)));
  });

  it('filters by a custom label value and by its absence, as the labels API lists them', async () => {
    const labels = await api.labels('frustration', { limit: 500 });
    const yes = labels.items.filter((l) => l.value === 'yes' && !l.superseded).map((l) => l.targetId);
    expect(yes.length).toBeGreaterThan(0);
    expect(ids(await all((q) => api.sessions(q), { signal: 'frustration', value: 'yes' }))).toEqual([...yes].sort());
    const outcomes = await api.labels('refund-ask', { limit: 500 });
    const decided = new Set(outcomes.items.filter((l) => l.status === 'labelled').map((l) => l.targetId));
    const undecided = expected.filter((e) => !decided.has(e.id));
    expect(undecided.length).toBeGreaterThan(0);
    expect(ids(await all((q) => api.sessions(q), { unlabelled: 'refund-ask' }))).toEqual(ids(undecided));
    // A session-scope label, seen from the traces of that session.
    const traces = await all((q) => api.traces(q), { signal: 'frustration', value: 'yes' });
    expect([...new Set(traces.map((t) => t.sessionId))].sort()).toEqual([...yes].sort());
    const first = (await api.sessions({ signal: 'frustration', value: 'yes', limit: 1 })).items[0];
    expect(first.labels).toContainEqual(expect.objectContaining({ signal: 'frustration', value: 'yes', status: 'labelled' }));
  });

  it('refuses bad filters with a clear error', async () => {
    await expect(api.sessions({ quality: 'awful' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/^quality: one of/) });
    await expect(api.sessions({ signal: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(api.sessions({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/^cursor/) });
    await expect(http.sessions({ limit: 0 })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/^limit/) });
    await expect(http.sessions({ value: 'yes' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('API, HTTP API, CLI and MCP give the same sessions for the same filters', async () => {
    const filters: TrafficQuery[] = [
      { agent: AGENTS[0] },
      { signal: 'frustration', value: 'yes', agent: AGENTS[1] },
      { builtin: 'interaction.*', quality: 'severe' },
      { unlabelled: 'refund-ask', since: '2d' },
    ];
    const sizes: number[] = [];
    for (const f of filters) {
      const local = await all((q) => api.sessions(q), { ...f, limit: 5 });
      sizes.push(local.length);
      expect(await all((q) => http.sessions(q), { ...f, limit: 5 })).toEqual(local);
      const args = Object.entries(f).flatMap(([k, v]) => [`--${k}`, String(v)]);
      // Not spawnSync: this process serves the MCP client below, and a loop blocked past the server's keep-alive
      // time (a slow CLI on a busy machine) has the client send its next call on a socket the server then drops.
      const cli = await promisify(execFile)(process.execPath, [CLI, 'sessions', ...args, '--limit', '200', '--json', '--db', db], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, maxBuffer: 1 << 26 });
      expect((JSON.parse(cli.stdout) as Page<TrafficItem>).items).toEqual(local);
      const tool = (await mcp.callTool({ name: 'list_traffic', arguments: { kind: 'session', ...f, limit: 100 } })) as { isError?: boolean; content: { text: string }[] };
      expect(tool.isError).toBeFalsy();
      expect((JSON.parse(tool.content[0].text) as { items: TrafficItem[] }).items).toEqual(local);
    }
    // Each filter selects some sessions and none selects all (so agreeing means something).
    expect(sizes.every((n) => n > 0 && n < expected.length), `sizes ${sizes.join(", ")}`).toBe(true);
  });

  it('a trace and a session give their spans in start order, LLM calls with model and duration', async () => {
    const session = expected[3];
    const spans = await api.spans('session', session.id, session.agent);
    expect(spans.length).toBe(2 * (session.userTurns || 1));
    expect(spans.map((s) => s.start)).toEqual([...spans.map((s) => s.start)].sort());
    const llm = spans.filter((s) => s.kind === 'llm');
    expect(llm.every((s) => s.model === 'demo-model' && s.durationMs === 3600)).toBe(true);
    const trace = await http.spans('trace', spans[0].traceId);
    expect(trace.map((s) => s.spanId)).toEqual(spans.filter((s) => s.traceId === spans[0].traceId).map((s) => s.spanId));
  });

  it('lists the traces of one session (session filter), the traces its spans belong to, and one unit by id', async () => {
    const session = expected[3];
    const spans = await api.spans('session', session.id, session.agent);
    const traces = await all(http.traces, { agent: session.agent, session: session.id });
    expect(new Set(traces.map((t) => t.id))).toEqual(new Set(spans.map((s) => s.traceId)));
    expect(traces.every((t) => t.sessionId === session.id && t.agent === session.agent)).toBe(true);
    await expect(api.sessions({ session: session.id })).rejects.toThrow(/session: a filter of traces/);
    // id: that one unit, as the full listing has it.
    const [one] = (await http.sessions({ agent: session.agent, id: session.id })).items;
    expect(one).toEqual((await all(http.sessions, {})).find((s) => s.id === session.id && s.agent === session.agent));
    expect((await http.traces({ agent: session.agent, id: traces[0].id })).items.map((t) => t.id)).toEqual([traces[0].id]);
  });
});
