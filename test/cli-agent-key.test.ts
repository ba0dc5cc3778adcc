// The CLI against a running `signals serve` (started here, SIGNALS_AGENT_KEYS configured) with a key scoped to agent
// "shop" as SIGNALS_API_TOKEN: a command that needs an action the key may not do stops before sending anything but
// the one GET /v1/whoami, with one line naming the action; the commands the key may use work, and the operator's
// token runs the operator's commands.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILT_CLI } from './helpers/built-cli.js';
import { cli, type CliResult } from './helpers/cli-run.js';
import { otlpTurn } from './service/otlp-fixture.js';
import { refundSignal } from './service/fixtures.js';

const OPERATOR = 'operator-token-cli-0123456789';
const SHOP_KEY = 'shop-key-cli-abcdefghijklmnop';
const TRACE = '7af7651916cd43dd8448eb211c80319c';

let dir = '';
let child: ChildProcessWithoutNullStreams;
let url = '';

/** `signals ...args --url URL` with `token` as SIGNALS_API_TOKEN, and the requests it sent (`METHOD /path`). */
async function as(token: string, args: string[]): Promise<CliResult & { sent: string[] }> {
  const previous = process.env.SIGNALS_API_TOKEN;
  process.env.SIGNALS_API_TOKEN = token;
  const sent: string[] = [];
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return realFetch(input, init);
  });
  try {
    return { ...(await cli([...args, '--url', url])), sent };
  } finally {
    spy.mockRestore();
    if (previous === undefined) delete process.env.SIGNALS_API_TOKEN;
    else process.env.SIGNALS_API_TOKEN = previous;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-cli-agent-key-'));
  const keys = `shop=sha256:${createHash('sha256').update(SHOP_KEY).digest('hex')}`;
  child = spawn(process.execPath, [BUILT_CLI, 'serve', '--port', '0', '--db', join(dir, 's.db')], {
    env: { PATH: process.env.PATH ?? '', SIGNALS_API_TOKEN: OPERATOR, SIGNALS_AGENT_KEYS: keys },
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const m = /signals service on (http:\/\/127\.0\.0\.1:\d+) /.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  // The operator's span signal of agent shop, active, and an alert on it.
  const created = await as(OPERATOR, ['create', '--name', 'refund', '--agent', 'shop', '--scope', 'span', '--type', 'binary', '--prompt', 'Asks for a refund?', '--rule', 'yes=\\brefund\\b', '--default', 'no']);
  expect(created.code, created.err).toBe(0);
  expect((await as(OPERATOR, ['activate', 'refund'])).code).toBe(0);
  const alert = await as(OPERATOR, ['alerts', 'create', '--signal', 'refund', '--name', 'refund-volume', '--metric', 'volume', '--comparison', 'above', '--threshold', '0', '--window', '5m']);
  expect(alert.code, alert.err).toBe(0);
});

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('signals CLI with a key scoped to one agent (--url)', () => {
  it("sends and reads its agent's traffic and reviews its signal's labels (whoami asked once)", async () => {
    const file = join(dir, 'turn.json');
    writeFileSync(file, JSON.stringify(otlpTurn(TRACE, Date.now() - 60_000, 'I want a refund for my order')));
    const ingest = await as(SHOP_KEY, ['ingest', file]);
    expect([ingest.code, ingest.err]).toEqual([0, '']);
    const labels = await as(SHOP_KEY, ['labels', 'refund', '--json']);
    expect(labels.code, labels.err).toBe(0);
    expect(labels.sent.filter((r) => r === 'GET /v1/whoami')).toHaveLength(1);
    const items = (JSON.parse(labels.out) as { items: Array<{ targetId: string; value: string }> }).items;
    expect(items.map((l) => [l.targetId, l.value])).toEqual([[`${TRACE.slice(0, 14)}02`, 'yes']]);
    for (const args of [['list'], ['show', 'refund'], ['sessions'], ['distribution', 'refund'], ['review', 'refund'], ['runs', 'refund'], ['review', 'refund', items[0].targetId, 'no', '--reviewer', 'kim']]) {
      const r = await as(SHOP_KEY, args);
      expect([r.code, r.err], args.join(' ')).toEqual([0, '']);
      expect(r.sent[0], args.join(' ')).toBe('GET /v1/whoami');
      expect(r.sent.filter((s) => s === 'GET /v1/whoami'), args.join(' ')).toHaveLength(1);
    }
  });

  it("stops a command of the operator's before sending anything, in one line naming the action", async () => {
    const config = join(dir, 'signals.config.json');
    writeFileSync(config, JSON.stringify({ signals: [{ ...refundSignal('span'), name: 'refund-two' }] }));
    const cases: Array<[string, string[], string]> = [
      ['create', ['create', '--name', 'other', '--agent', 'shop', '--scope', 'span', '--type', 'binary', '--prompt', 'Other?', '--rule', 'yes=x', '--default', 'no'], 'change_signals'],
      ['edit', ['edit', 'refund', '--prompt', 'Changed?'], 'change_signals'],
      ['disable', ['disable', 'refund'], 'change_signals'],
      ['activate', ['activate', 'refund'], 'change_signals'],
      ['archive', ['archive', 'refund'], 'change_signals'],
      ['restore', ['restore', 'refund'], 'change_signals'],
      ['test', ['test', '--signal', 'refund'], 'test_signals'],
      ['run', ['run', 'refund', '--since', '24h'], 'backfill'],
      ['runs', ['runs', 'cancel', 'run_0123'], 'backfill'],
      ['learn', ['learn', 'refund'], 'train'],
      ['providers', ['providers'], 'providers'],
      ['alerts list', ['alerts', 'list'], 'alerts'],
      ['alerts create', ['alerts', 'create', '--signal', 'refund', '--name', 'mine', '--metric', 'volume', '--comparison', 'above', '--threshold', '0', '--window', '5m'], 'alerts'],
      ['alerts pause', ['alerts', 'pause', 'refund-volume'], 'alerts'],
      ['alerts resume', ['alerts', 'resume', 'refund-volume'], 'alerts'],
      ['alerts backtest', ['alerts', 'backtest', 'refund-volume', '--since', '24h'], 'alerts'],
      ['alerts history', ['alerts', 'history', 'refund-volume'], 'alerts'],
      ['config apply', ['config', 'apply', config], 'change_signals'],
      ['config apply', ['config', 'apply', config, '--dry-run'], 'alerts'],
    ];
    for (const [name, args, action] of cases) {
      const r = await as(SHOP_KEY, args);
      expect({ code: r.code, out: r.out, err: r.err, sent: r.sent }, args.join(' ')).toEqual({
        code: 1,
        out: '',
        err: `signals ${name}: needs "${action}", which is the operator's: this key opens agent "shop" only (use the operator's token)\n`,
        sent: ['GET /v1/whoami'],
      });
    }
    // Nothing changed: the signal as the operator made it, one alert, not paused, no runs.
    const signal = JSON.parse((await as(OPERATOR, ['show', 'refund', '--json'])).out) as { state: string; version: number };
    expect([signal.state, signal.version]).toEqual(['active', 1]);
    const alerts = JSON.parse((await as(OPERATOR, ['alerts', 'list', '--json'])).out) as Array<{ name: string; state: string }>;
    expect(alerts.map((a) => a.name)).toEqual(['refund-volume']);
    expect(alerts[0].state).not.toBe('paused');
    expect(JSON.parse((await as(OPERATOR, ['runs', '--json'])).out)).toEqual({ items: [], nextCursor: null });
  });

  it("runs the operator's commands with the operator's token", async () => {
    for (const args of [['providers'], ['alerts', 'list'], ['alerts', 'history', 'refund-volume'], ['config', 'apply', join(dir, 'signals.config.json'), '--dry-run']]) {
      const r = await as(OPERATOR, args);
      expect([r.code, r.err], args.join(' ')).toEqual([0, '']);
    }
  });
});
