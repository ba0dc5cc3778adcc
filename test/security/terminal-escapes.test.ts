// Terminal escapes in captured traffic: anyone who can send an OTLP export names the agent, the trace and session ids,
// the span and the messages. The CLI shows them in tables and lines on the operator's terminal, where `ESC ] 52`
// would write the clipboard, `ESC [ 2J` clear the screen and `ESC ] 0` retitle the window: every command shows
// them as visible `\xNN` text instead (`--json` keeps the data as it is).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { cli } from '../helpers/cli-run.js';
import { span } from '../service/fixtures.js';
import { storeAsSent } from '../helpers/stored-as-sent.js';

const ESC = '\x1b';
const AGENT = `bot${ESC}]52;c;cHduZWQ=\x07`;
const TRACE = `t1${ESC}]0;TITLE\x07`;
const SESSION = `s1${ESC}[2J`;
const T0 = Date.parse('2026-12-01T12:00:00Z');

let dir = '';
let store: Store;
let service: SignalsService;
let server: NodeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-escapes-'));
  store = await openStore({ url: join(dir, 'signals.db') });
  service = createSignalsService(store, { now: () => T0 + 60_000 });
  await service.api.createSignal({
    definition: { name: 'esc', agent: '*', scope: 'trace', type: 'binary', prompt: 'p', judge: 'rules', rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' } } as never,
    state: 'active',
  });
  // Stored as sent: ingest now stores an agent's name without its control characters, rows stored before keep them.
  await storeAsSent(store, [
    span({ traceId: TRACE, spanId: `root${ESC}[H`, name: `agent.run${ESC}[31m`, agent: AGENT, sessionId: SESSION, startMs: T0 - 5000, endMs: T0 - 1000 }),
    span({
      traceId: TRACE,
      spanId: 'llm',
      parentSpanId: `root${ESC}[H`,
      agent: AGENT,
      sessionId: SESSION,
      kind: 'llm',
      model: `gpt${ESC}[5m`,
      startMs: T0 - 4000,
      endMs: T0 - 2000,
      messages: [
        { role: 'user', content: `refund ${ESC}]52;c;cHduZWQ=\x07 please` },
        { role: 'assistant', content: `ok\x9b31m red` },
      ],
    }),
  ], T0);
  server = await startNodeServer({ ...configFromEnv({}), signals: service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('terminal escapes from traffic in CLI output', () => {
  it.each([
    [['traces']],
    [['sessions']],
    [['traces', '--agent', AGENT]],
    [['target', 'trace', TRACE, '--agent', AGENT]],
    [['target', 'session', SESSION, '--agent', AGENT]],
    [['labels', 'esc']],
    [['review', 'esc']],
    [['review', 'esc', TRACE, 'no', '--reviewer', 'ana', '--agent', AGENT]],
    [['target', 'trace', `nope${ESC}[2J`]],
  ])('signals %j prints no control character but newlines', async (args) => {
    const r = await cli([...args, '--url', server.url]);
    const printed = r.out + r.err;
    expect(printed.length, printed).toBeGreaterThan(0);
    // eslint-disable-next-line no-control-regex
    expect(printed.replace(/\n/g, ''), printed).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('--json keeps the data as it came', async () => {
    const r = await cli(['traces', '--url', server.url, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).items[0]).toMatchObject({ agent: AGENT, id: TRACE, sessionId: SESSION });
  });
});
