/** The MCP tools at /mcp inside workerd (D1 store), with the SDK's own client over Streamable HTTP. */
import { exports } from 'cloudflare:workers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { otlpTurn } from '../service/otlp-fixture.js';

const ORIGIN = 'http://agent-signals.test';
const NOW = Date.now();

async function connect(): Promise<Client> {
  const client = new Client({ name: 'workers-test', version: '1.0.0' });
  const fetchWorker = (url: string | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { fetch: fetchWorker as typeof fetch }));
  return client;
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((c) => c.text).join('');

describe('MCP on Workers', () => {
  it('lists the tools and creates, tests and backfills a signal, with tool errors', async () => {
    const ingest = await exports.default.fetch(
      new Request(`${ORIGIN}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpTurn('6af7651916cd43dd8448eb211c80319c', NOW - 600_000, 'refund please')) }),
    );
    expect(ingest.status).toBe(200);
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_signals', 'create_signal', 'start_backfill', 'backtest_alert', 'get_target']));
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['edit_alert', 'alert_history', 'list_versions', 'restore_signal', 'list_providers', 'list_traffic']));
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['review_label', 'judge_agreement', 'list_runs']));
    expect(tools).toHaveLength(27);

    const created = await client.callTool({
      name: 'create_signal',
      arguments: {
        definition: { name: 'mcp-refund', agent: 'shop', scope: 'span', type: 'binary', prompt: 'Asks for a refund?', rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' } },
        activate: true,
      },
    });
    expect(created.isError).toBeFalsy();
    expect(JSON.parse(text(created))).toMatchObject({ name: 'mcp-refund', state: 'active' });

    const tested = await client.callTool({ name: 'test_signal', arguments: { signal: 'mcp-refund', sample: 5 } });
    expect(JSON.parse(text(tested)).distribution).toEqual({ yes: 1 });

    const run = JSON.parse(text(await client.callTool({ name: 'start_backfill', arguments: { signal: 'mcp-refund', since: '1d' } })));
    expect(run).toMatchObject({ status: 'queued', total: 1 });
    expect(JSON.parse(text(await client.callTool({ name: 'get_run', arguments: { run: run.id } }))).id).toBe(run.id);
    const runs = JSON.parse(text(await client.callTool({ name: 'list_runs', arguments: { signal: 'mcp-refund', limit: 1 } })));
    expect(runs).toEqual({ runs: [expect.objectContaining({ id: run.id })], next_cursor: null });

    const missing = await client.callTool({ name: 'get_signal', arguments: { signal: 'nope' } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/^No signal "nope"/);
    await client.close();
  });
});
