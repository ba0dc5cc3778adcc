// Agent names that look alike: "shop", "shop" with a zero-width space, "shop" behind a right-to-left override,
// "café" in two Unicode compositions, and "paypal" with a Cyrillic "а". Ingest stores the first four as one agent each
// now (test/service/http.test.ts); rows stored before keep the names as sent, and ingest keeps a mixed-script name (it
// is another name). The CLI and MCP show them apart: what nobody sees, and the letters of a mixed-script name's odd
// script, are written as escapes, while --json and the API keep the data as it is (a name read there is the name to
// ask for).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { cli } from '../helpers/cli-run.js';
import { storeAsSent } from '../helpers/stored-as-sent.js';
import { turn } from '../service/fixtures.js';

const T0 = Date.parse('2026-12-01T12:00:00Z');
/** Each stored name and how a person is shown it. */
const NAMES: Array<[string, string]> = [
  ['shop', 'shop'],
  ['shop\u200b', 'shop\\u200b'],
  ['\u202eshop', '\\u202eshop'],
  ['caf\u00e9', 'caf\u00e9'],
  ['cafe\u0301', 'cafe\\u0301'],
  ['paypal', 'paypal'],
  ['p\u0430ypal', 'p\\u0430ypal'],
  ['\uff53hop', '\\uff53hop'],
];

let dir = '';
let store: Store;
let server: NodeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-look-alike-'));
  store = await openStore({ url: join(dir, 'signals.db') });
  await storeAsSent(store, NAMES.flatMap(([agent], i) => turn({ traceId: `t${i}`, sessionId: `s${i}`, at: T0 + i * 60_000, user: 'hello', agent })), T0 + 600_000);
  const service = createSignalsService(store, { now: () => T0 + 600_000 });
  server = await startNodeServer({ ...configFromEnv({}), signals: service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent names that look alike, stored before names had one form', () => {
  it('signals traces shows each name apart, with what nobody sees and the odd script of a mixed one escaped; --json keeps the names', async () => {
    const table = await cli(['traces', '--url', server.url]);
    expect(table.code, table.err).toBe(0);
    const shown = table.out.split('\n').slice(1, -1).map((line) => line.split(/\s{2,}/)[1]);
    expect(shown.sort()).toEqual(NAMES.map(([, visible]) => visible).sort());
    const json = await cli(['traces', '--url', server.url, '--json']);
    expect((JSON.parse(json.out) as { items: Array<{ agent: string }> }).items.map((i) => i.agent).sort()).toEqual(NAMES.map(([name]) => name).sort());
  });

  it('signals target names the agent with what nobody sees escaped', async () => {
    const r = await cli(['target', 'trace', 't1', '--agent', 'shop\u200b', '--url', server.url]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe('trace t1 (agent shop\\u200b), 2 messages');
  });

  it('MCP tool results write invisible characters as JSON escapes: the text shows them, and parses to the names', async () => {
    const client = new Client({ name: 'look-alike', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
    try {
      const r = (await client.callTool({ name: 'list_traffic', arguments: { kind: 'trace' } })) as { content: Array<{ text: string }> };
      const text = r.content.map((c) => c.text).join('');
      expect(text).toContain('"agent":"shop\\u200b"');
      expect(text).toContain('"agent":"\\u202eshop"');
      expect(text).toContain('"agent":"p\\u0430ypal"');
      expect(text).toContain('"agent":"\\uff53hop"');
      expect(text).not.toMatch(/[\u200b\u202e]/);
      const agents = (JSON.parse(text) as { items: Array<{ agent: string }> }).items.map((i) => i.agent);
      expect(agents.sort()).toEqual(NAMES.map(([name]) => name).sort());
    } finally {
      await client.close();
    }
  });
});
