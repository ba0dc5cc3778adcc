/**
 * The shared endpoint tests against the real @hono/node-server on 127.0.0.1, plus what only Node can do:
 * forwarding to a local OTLP receiver and checks that the service gives what the library gives on the bundled sample
 * (`analyze` on its ShareGPT rows, test/helpers/sample.ts; the corpus suite proves the library byte-identical to the
 * reference analyzer).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, type HttpEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { defineEndpointCases, spansOf, type Target } from './endpoint-cases.js';
import { E19_GENAI_MESSAGES, E19_SPAN_ATTRIBUTES, otlpExport } from './fixtures.js';
import { libraryReportLines, sampleLines } from '../helpers/sample.js';

async function openNode(env: HttpEnv): Promise<Target & { server: NodeServer }> {
  const server = await startNodeServer(configFromEnv(env), 0, '127.0.0.1');
  return { server, fetch: (path, init) => fetch(server.url + path, init), close: () => server.close() };
}

const readLines = sampleLines;

interface RefSignal {
  signal_type: string;
  message_index: number;
}
interface RefGroup {
  category: string;
  count: number;
  severity: number;
  signals: RefSignal[];
}
interface RefReport {
  interaction_signals: Record<string, RefGroup>;
  execution_signals: Record<string, RefGroup>;
  environment_signals: Record<string, RefGroup>;
  overall_quality: string;
}

/** The seven groups with their layer, in the spec's order (§14.2). */
function groups(report: RefReport): Array<{ layer: string; group: RefGroup }> {
  return (['interaction', 'execution', 'environment'] as const).flatMap((layer) =>
    Object.values(report[`${layer}_signals`]).map((group) => ({ layer, group })),
  );
}

defineEndpointCases(openNode);

describe('Node server', () => {
  it('listens on loopback', async () => {
    const target = await openNode({});
    try {
      expect(target.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await target.close();
    }
  });
});

describe('forwarding to SIGNALS_FORWARD_URL', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let upstreamStatus = 200;
  const received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(upstreamStatus, { 'content-type': 'application/json' });
        res.end(upstreamStatus < 300 ? '{"partialSuccess":{}}' : '{"code":14,"message":"unavailable"}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1/traces`;
  });
  afterAll(async () => {
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('posts the enriched export upstream and returns the upstream status', async () => {
    const service = await openNode({ SIGNALS_FORWARD_URL: upstreamUrl });
    try {
      upstreamStatus = 202;
      const res = await service.fetch('/v1/traces', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpExport(E19_GENAI_MESSAGES)),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{}');
      const sent = received.at(-1)!;
      expect(sent.method).toBe('POST');
      expect(sent.url).toBe('/v1/traces');
      expect(sent.headers['content-type']).toBe('application/json');
      expect(spansOf(JSON.parse(sent.body))[0].attributes.slice(2)).toEqual(E19_SPAN_ATTRIBUTES);

      upstreamStatus = 503;
      const failed = await service.fetch('/v1/traces', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpExport(E19_GENAI_MESSAGES)),
      });
      expect(failed.status).toBe(503);
      expect(await failed.json()).toEqual({ error: { code: 'upstream_error', message: 'The OTLP backend at SIGNALS_FORWARD_URL answered HTTP 503 (its answer is not passed on)' } });
    } finally {
      await service.close();
    }
  });

  it('answers 502 when the upstream is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const service = await openNode({ SIGNALS_FORWARD_URL: `http://127.0.0.1:${port}/v1/traces` });
    try {
      const res = await service.fetch('/v1/traces', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpExport(E19_GENAI_MESSAGES)),
      });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
    } finally {
      await service.close();
    }
  });
});

describe('the bundled sample: what the library gives', () => {
  let service: Target;
  beforeAll(async () => {
    service = await openNode({});
  });
  afterAll(async () => {
    await service.close();
  });

  it('batch: the whole ShareGPT sample gives its report lines, in order', async () => {
    const input = readLines('sharegpt');
    const expected = libraryReportLines();
    const res = await service.fetch('/v1/analyze/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: input.join('\n') + '\n',
    });
    expect(res.status).toBe(200);
    const out = (await res.text()).trimEnd().split('\n');
    expect(out).toHaveLength(expected.length);
    out.forEach((line, i) => expect(line, `line ${i + 1}`).toBe(expected[i]));
  });

  it('analyze: OpenAI-format sample conversations give their reports', async () => {
    const input = readLines('openai');
    const expected = libraryReportLines('openai');
    for (let i = 0; i < input.length; i++) {
      const res = await service.fetch('/v1/analyze', { method: 'POST', headers: { 'content-type': 'application/json' }, body: input[i] });
      expect(res.status).toBe(200);
      expect(await res.text(), `line ${i + 1}`).toBe(expected[i]);
    }
  });

  it('traces: sample conversations sent as GenAI spans carry their signals', async () => {
    const input = readLines('openai');
    const expected = libraryReportLines('openai');
    for (let i = 0; i < input.length; i++) {
      const { messages } = JSON.parse(input[i]) as { messages: OpenAIMessage[] };
      const res = await service.fetch('/v1/traces?echo=1', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpExport(toGenAI(messages))),
      });
      expect(res.status).toBe(200);
      const root = spansOf(await res.json())[0];
      const report = (JSON.parse(expected[i]) as { report: RefReport }).report;
      const attrs = new Map(root.attributes.map((a) => [a.key, a.value]));
      expect(attrs.get('signals.quality'), `line ${i + 1}`).toEqual({ stringValue: report.overall_quality });
      const counts = root.attributes.filter((a) => /^signals\.\w+\.\w+\.(count|severity)$/.test(a.key));
      const expectedCounts = groups(report)
        .filter(({ group }) => group.count > 0)
        .flatMap(({ layer, group }) => [
          { key: `signals.${layer}.${group.category}.count`, value: { intValue: String(group.count) } },
          { key: `signals.${layer}.${group.category}.severity`, value: { intValue: String(group.severity) } },
        ]);
      expect(counts, `line ${i + 1}`).toEqual(expectedCounts);
      const events = (root.events ?? [])
        .filter((e) => e.name.startsWith('signal.'))
        .map((e) => [e.name, e.attributes.find((a) => a.key === 'signal.message_index')?.value.intValue]);
      const expectedEvents = groups(report).flatMap(({ group }) =>
        group.signals.map((s) => [`signal.${s.signal_type}`, String(s.message_index)]),
      );
      expect(events, `line ${i + 1}`).toEqual(expectedEvents);
    }
  });
});

interface OpenAIMessage {
  role: string;
  content: unknown;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** OpenAI chat messages → OpenTelemetry GenAI messages (what an instrumented agent records on its LLM span). */
function toGenAI(messages: OpenAIMessage[]): unknown[] {
  const text = (content: unknown) =>
    typeof content === 'string' && content !== '' ? [{ type: 'text', content }] : [];
  return messages.map((m) => {
    if (m.role === 'tool') return { role: 'tool', parts: [{ type: 'tool_call_response', id: m.tool_call_id, response: m.content }] };
    const calls = (m.tool_calls ?? []).map((c) => ({ type: 'tool_call', id: c.id, name: c.function.name, arguments: c.function.arguments }));
    return { role: m.role, parts: [...text(m.content), ...calls] };
  });
}
