// The documented Claude Desktop setup: `signals mcp` over stdio on a local store, nothing else running. A backfill
// started with start_backfill runs in that process (as signals run --wait does) and get_run follows it to done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignalsService } from '../src/service/service.js';
import { openStore } from '../src/store/libsql.js';
import { otlpTurn } from './service/otlp-fixture.js';
import { BUILT_CLI as CLI } from './helpers/built-cli.js';

const NOW = Date.now();
const TRACES = ['3af7651916cd43dd8448eb211c80319c', '4af7651916cd43dd8448eb211c80319c', '5af7651916cd43dd8448eb211c80319c'];
const TEXTS = ['I want a refund for my order', 'hi, where is my parcel?', 'refund please, it arrived broken'];

describe('MCP over stdio on a local store, no service running', () => {
  let dir = '';
  let client: Client;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-mcp-local-'));
    const db = join(dir, 'signals.db');
    // Traffic stored by an earlier ingest; the store is closed before the MCP server opens it.
    const store = await openStore({ url: db });
    const service = createSignalsService(store);
    for (const [i, id] of TRACES.entries()) await service.ingest(otlpTurn(id, NOW - 3_600_000 + i * 60_000, TEXTS[i]));
    await store.close();
    client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--db', db], env: { PATH: process.env.PATH ?? '' }, stderr: 'pipe' }));
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('start_backfill then get_run reaches done with the labels counted', async () => {
    const definition = {
      name: 'refund', agent: 'shop', scope: 'trace', type: 'binary', prompt: 'Asks for a refund?', judge: 'rules',
      rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
    };
    const created = await client.callTool({ name: 'create_signal', arguments: { definition } });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    const started = await client.callTool({ name: 'start_backfill', arguments: { signal: 'refund', since: '1d' } });
    expect(started.structuredContent).toMatchObject({ status: 'queued', total: 3 });
    const id = (started.structuredContent as { id: string }).id;
    let run = started.structuredContent as { status: string; done: number };
    const seen = new Set<string>([run.status]);
    for (let i = 0; i < 300 && run.status !== 'done' && run.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await client.callTool({ name: 'get_run', arguments: { run: id } })).structuredContent as typeof run;
      seen.add(run.status);
    }
    expect(run).toMatchObject({ status: 'done', total: 3, done: 3, counts: { yes: 2, no: 1 } });
    const labels = await client.callTool({ name: 'query_labels', arguments: { signal: 'refund' } });
    expect((labels.structuredContent as { labels: unknown[] }).labels).toHaveLength(3);
  });
});
