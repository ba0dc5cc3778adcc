// Acceptance of plain-language signals: only SIGNALS_LLM_* set (a local fake OpenAI-compatible server as the default
// provider, allowed by SIGNALS_OUTBOUND_ALLOW), a signal created from a name and a prompt through the CLI, through
// POST /v1/signals and through the MCP create_signal tool labels live traffic with the model's explanations, and a
// trace without a session id is judged per trace by these session-scope signals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { cli } from '../helpers/cli-run.js';
import { answer, type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';
import { otlpTurn } from './otlp-fixture.js';

const PROMPT = 'Does the user ask for a refund?';
const NOW = Date.now();
const SESSION_TRACE = '6af7651916cd43dd8448eb211c80319c';
const LONE_TRACE = '7af7651916cd43dd8448eb211c80319c';

/** The fixture's turn without its session id (gen_ai.conversation.id). */
function withoutSession(exportBody: ReturnType<typeof otlpTurn>) {
  const copy = structuredClone(exportBody);
  for (const rs of copy.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) s.attributes = s.attributes.filter((a: { key: string }) => a.key !== 'gen_ai.conversation.id');
  return copy;
}

describe('a signal from a name and a prompt, judged by the default provider', () => {
  let dir = '';
  let model: FakeOpenAi;
  let node: NodeService;
  let server: NodeServer;
  const saved: Record<string, string | undefined> = {};
  let env: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-plain-'));
    model = await startFakeOpenAi();
    // The model answers from the conversation it is sent: yes when the user mentions a refund.
    model.fallback = (req) => {
      const user = (req.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')?.content ?? '';
      const [yes, no] = (req.body.response_format?.json_schema?.schema?.properties?.label?.enum as string[] | undefined) ?? ['yes', 'no'];
      return /refund/i.test(user) ? answer(yes, 'The user asks to get their money back.') : answer(no, 'The user asks about delivery, not a refund.');
    };
    env = {
      SIGNALS_DB: join(dir, 'signals.db'),
      SIGNALS_LLM_BASE_URL: model.baseUrl,
      SIGNALS_LLM_MODEL: 'fake-judge-1',
      SIGNALS_LLM_API_KEY: 'sk-plain-test',
      SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
    };
    for (const k of Object.keys(env)) {
      saved[k] = process.env[k];
      process.env[k] = env[k];
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.close();
    await node?.stop();
    await model.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('CLI, POST /v1/signals and MCP create_signal make active LLM signals that label live traffic with explanations', async () => {
    const created = await cli(['create', 'refund', '--prompt', PROMPT, '--activate']);
    expect(created, created.err).toEqual({ code: 0, out: 'created refund version 1, active: session scope, yes/no, judge llm (provider default)\n', err: '' });

    node = await startNodeService(env, { intervalMs: 100, traceSettleSeconds: 0.2, sessionIdleMinutes: 0.01, onError: () => undefined });
    server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');

    const res = await fetch(`${server.url}/v1/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'refund-http', prompt: PROMPT, state: 'active' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'refund-http', state: 'active', scope: 'session', type: 'binary', definition: { judge: 'llm', prompt: PROMPT } });

    const client = new Client({ name: 'plain-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
    const viaMcp = await client.callTool({ name: 'create_signal', arguments: { name: 'refund-mcp', prompt: PROMPT, labels: ['refund', 'other'], scope: 'trace', activate: true } });
    await client.close();
    expect(viaMcp.isError, JSON.stringify(viaMcp.content)).toBeFalsy();
    expect(viaMcp.structuredContent).toMatchObject({ name: 'refund-mcp', state: 'active', scope: 'trace', type: 'labels', definition: { judge: 'llm', labels: [{ name: 'refund' }, { name: 'other' }] } });

    // Traffic: one turn inside a session, one trace without a session id.
    await node.service.ingest(otlpTurn(SESSION_TRACE, NOW - 60_000, 'I want a refund for my broken order'));
    await node.service.ingest(withoutSession(otlpTurn(LONE_TRACE, NOW - 30_000, 'hi, where is my parcel?')));

    const labelsOf = async (signal: string) => (await node.service.api.labels(signal)).items;
    for (let i = 0; i < 200; i++) {
      const counts = await Promise.all(['refund', 'refund-http', 'refund-mcp'].map(async (s) => (await labelsOf(s)).length));
      if (counts.every((n) => n === 2)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const signal of ['refund', 'refund-http']) {
      const items = await labelsOf(signal);
      expect(items.map((l) => [l.targetKind, l.targetId, l.value, l.judge, l.explanation]).sort()).toEqual([
        ['session', 'sess-1', 'yes', 'llm', 'The user asks to get their money back.'],
        ['trace', LONE_TRACE, 'no', 'llm', 'The user asks about delivery, not a refund.'],
      ]);
    }
    // The model was asked with the prompt as the system message and the labels as the schema's enum.
    const sent = model.requests.find((r) => r.body.response_format?.json_schema?.schema?.properties?.label?.enum?.includes('refund'));
    expect(sent?.body.model).toBe('fake-judge-1');
    expect(sent?.headers.authorization).toBe('Bearer sk-plain-test');
    expect((await labelsOf('refund-mcp')).map((l) => [l.targetKind, l.targetId, l.value]).sort()).toEqual([
      ['trace', SESSION_TRACE, 'refund'],
      ['trace', LONE_TRACE, 'other'],
    ]);
    expect(model.requests[0].body.messages[0].content).toContain(PROMPT);
  });

  it('without a provider configured, create says so in one line and how to set one', async () => {
    const empty = { ...process.env };
    for (const k of ['SIGNALS_LLM_BASE_URL', 'SIGNALS_LLM_MODEL', 'SIGNALS_LLM_API_KEY']) delete process.env[k];
    try {
      const r = await cli(['create', 'refund2', '--prompt', PROMPT, '--db', join(dir, 'other.db')]);
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(2);
      expect(r.err).toMatch(/^signals create: no LLM provider is configured: .*SIGNALS_LLM_BASE_URL.*template, rules or a learned judge\n$/);
    } finally {
      Object.assign(process.env, empty);
    }
  });
});
