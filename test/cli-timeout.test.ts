// Every `--url` command has a deadline per request (SIGNALS_CLIENT_TIMEOUT_SECONDS, default 60 s): a server or proxy
// that takes the connection and never answers, or sends its headers and stalls in the middle of the body, made the
// command wait for good. Real node:http servers that do just that; the CLI runs in process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI } from './helpers/built-cli.js';
import { cli } from './helpers/cli-run.js';
import { otlpTurn } from './service/otlp-fixture.js';

/** Answers held open by the servers, ended when the test is over. */
const held: ServerResponse[] = [];
let silent: Server;
let stalling: Server;
let answering: Server;
let breaking: Server;
let busyOnce: Server;
/** Method and path of each request `busyOnce` got. */
const busySeen: string[] = [];
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
const listen = (s: Server) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
const close = (s: Server) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())));

beforeAll(async () => {
  // Takes the request and never answers.
  silent = createServer((_req, res) => void held.push(res));
  // Answers 200 with a JSON body cut off halfway, and holds the rest.
  stalling = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('[{"name":"refus');
    held.push(res);
  });
  answering = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  });
  // Answers 200 with a JSON body cut off halfway, and closes the connection.
  breaking = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('[{"name":"refus', () => req.socket.destroy());
  });
  // Answers its first export 503 + Retry-After: 0, then takes the export again.
  busyOnce = createServer((req, res) => {
    busySeen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (busySeen.length === 1) res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"error":{"code":"unavailable","message":"busy"}}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await Promise.all([listen(silent), listen(stalling), listen(answering), listen(breaking), listen(busyOnce)]);
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await Promise.all([close(silent), close(stalling), close(answering), close(breaking), close(busyOnce)]);
});

const saved = process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS;
afterEach(() => {
  if (saved === undefined) delete process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS;
  else process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS = saved;
});

describe('--url commands, a deadline per request', () => {
  it('a server that never answers: exit 2 and one line naming the URL and the deadline', async () => {
    process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS = '1';
    const r = await cli(['list', '--url', urlOf(silent)]);
    expect(r).toEqual({ code: 2, out: '', err: `signals list: The signals service at ${urlOf(silent)} did not answer within 1 s (SIGNALS_CLIENT_TIMEOUT_SECONDS)\n` });
  }, 30_000);

  it('an answer that stalls halfway through its body: the same', async () => {
    process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS = '1.5';
    const r = await cli(['list', '--url', urlOf(stalling)]);
    expect(r).toEqual({ code: 2, out: '', err: `signals list: The signals service at ${urlOf(stalling)} did not answer within 1.5 s (SIGNALS_CLIENT_TIMEOUT_SECONDS)\n` });
  }, 30_000);

  it('signals ingest --url stops at the export that ran out of time, with its file and line', async () => {
    process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS = '1';
    const dir = mkdtempSync(join(tmpdir(), 'signals-cli-timeout-'));
    try {
      const file = join(dir, 'traffic.jsonl');
      writeFileSync(file, `${JSON.stringify(otlpTurn('3af7651916cd43dd8448eb211c80319c', Date.parse('2026-12-01T10:00:00Z'), 'refund'))}\n`);
      const asked = held.length;
      const r = await cli(['ingest', file, '--url', urlOf(silent)]);
      // Not sent again: the one request the silent server took is the only one.
      expect(held.length - asked).toBe(1);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`signals ingest: ${file}:1: The signals service at ${urlOf(silent)} did not answer within 1 s (SIGNALS_CLIENT_TIMEOUT_SECONDS)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('an answer that breaks off mid-body is one line too, not a stack trace', async () => {
    const r = await cli(['list', '--url', urlOf(breaking)]);
    expect(r).toEqual({ code: 2, out: '', err: `signals list: GET ${urlOf(breaking)}/v1/signals: HTTP 200, the answer broke off\n` });
  }, 30_000);

  it('the built CLI exits once its work is done: the deadline of an answer it dropped (a 503 sent again) holds nothing open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-cli-timeout-'));
    try {
      const file = join(dir, 'one.json');
      writeFileSync(file, JSON.stringify(otlpTurn('4af7651916cd43dd8448eb211c80319c', Date.parse('2026-12-01T10:00:00Z'), 'refund')));
      // An hour's deadline: a timer of the dropped 503 answer that kept the process alive would outlast this test.
      const child = spawn(process.execPath, [BUILT_CLI, 'ingest', file, '--url', urlOf(busyOnce)], {
        env: { ...process.env, SIGNALS_CLIENT_TIMEOUT_SECONDS: '3600' },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Ended (exit code null) within the test's own limit, so a CLI held open fails here and does not outlive the run.
        timeout: 50_000,
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (err += String(d)));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, out, err }).toEqual({
        code: 0,
        out: `sent 1 export(s) to ${urlOf(busyOnce)}/v1/traces\n`,
        err: `signals ingest: ${file}:1: HTTP 503, sending it again in 0 s\n`,
      });
      expect(busySeen).toEqual(['POST /v1/traces', 'POST /v1/traces']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a server that answers in time is read as before', async () => {
    process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS = '5';
    const r = await cli(['list', '--url', urlOf(answering), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
  });

  it('a deadline that is not a number of seconds is a usage error', async () => {
    for (const given of ['0', '-3', 'soon', '99999']) {
      process.env.SIGNALS_CLIENT_TIMEOUT_SECONDS = given;
      const r = await cli(['list', '--url', urlOf(answering)]);
      expect(r.code, given).toBe(2);
      expect(r.err, given).toBe(`signals list: SIGNALS_CLIENT_TIMEOUT_SECONDS: seconds above 0 and at most 3600, got "${given}" (see signals list --help)\n`);
    }
  });
});
