// Every `--url` command has a deadline per request (SIGNALS_CLIENT_TIMEOUT_SECONDS, default 60 s): a server or proxy
// that takes the connection and never answers, or sends its headers and stalls in the middle of the body, made the
// command wait for good. Real node:http servers that do just that; the CLI runs in process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli-run.js';
import { otlpTurn } from './service/otlp-fixture.js';

/** Answers held open by the servers, ended when the test is over. */
const held: ServerResponse[] = [];
let silent: Server;
let stalling: Server;
let answering: Server;
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
  await Promise.all([listen(silent), listen(stalling), listen(answering)]);
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await Promise.all([close(silent), close(stalling), close(answering)]);
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
      const r = await cli(['ingest', file, '--url', urlOf(silent)]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`signals ingest: ${file}:1: The signals service at ${urlOf(silent)} did not answer within 1 s (SIGNALS_CLIENT_TIMEOUT_SECONDS)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

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
