import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/node/run-cli.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import { refundSignal } from './fixtures.js';
import { otlpTurn } from './otlp-fixture.js';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer } from '../../src/http/node.js';
import { heldJudge } from '../helpers/held-judge.js';
import { cli } from '../helpers/cli-run.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir = '';
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out, err };
}

describe('signals ingest', () => {
  it('stores exports, labels them (trace scope settled at once), and a second ingest adds nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-ingest-'));
    const db = join(dir, 'signals.db');
    const store = await openStore({ url: db });
    await createSignalsService(store).api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
    await store.close();
    const file = join(dir, 'traffic.jsonl');
    writeFileSync(file, [otlpTurn('3af7651916cd43dd8448eb211c80319c', T0, 'refund'), otlpTurn('4af7651916cd43dd8448eb211c80319c', T0 + 1000, 'hi')].map((e) => JSON.stringify(e)).join('\n'));

    const io = capture();
    expect(await runCli(['ingest', file, '--db', db, '--json'])).toBe(0);
    expect(await runCli(['ingest', file, '--db', db, '--json'])).toBe(0);
    vi.restoreAllMocks();
    expect(io.out.map((l) => JSON.parse(l))).toEqual([
      { spans: 4, stored: 4, labels: 2, queued: 0, unreadable: 0 },
      { spans: 4, stored: 0, labels: 0, queued: 0, unreadable: 0 },
    ]);
    const check = await openStore({ url: db });
    const labels = await createSignalsService(check).api.labels('refund-trace');
    expect(labels.items.map((l) => [l.targetId, l.value])).toEqual([
      ['4af7651916cd43dd8448eb211c80319c', 'no'],
      ['3af7651916cd43dd8448eb211c80319c', 'yes'],
    ]);
    await check.close();
  });

  it("says how many spans named their agent with invisible characters (stored under the name without them), locally and from the service's answer", async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-ingest-look-alike-'));
    const db = join(dir, 'signals.db');
    const file = join(dir, 'export.json');
    const exported = otlpTurn('5af7651916cd43dd8448eb211c80319c', T0, 'hi');
    exported.resourceSpans[0].resource.attributes = [{ key: 'service.name', value: { stringValue: 'shop\u200b' } }];
    writeFileSync(file, JSON.stringify(exported));
    const warning = '2 span(s) named an agent or service with invisible characters, odd white space or compatibility characters (full-width, ligatures; not in Unicode NFKC form): stored under that name without them';
    let io = capture();
    expect(await runCli(['ingest', file, '--db', db])).toBe(0);
    vi.restoreAllMocks();
    expect(io.out.join('')).toBe(`ingested 2 spans (2 new) from 1 file(s); 0 labels, 0 queued for the LLM judge; ${warning}\n`);
    const store = await openStore({ url: join(dir, 'served.db') });
    const server = await startNodeServer({ ...configFromEnv({}), signals: createSignalsService(store) }, 0, '127.0.0.1');
    try {
      io = capture();
      expect(await runCli(['ingest', file, '--url', server.url])).toBe(0);
      vi.restoreAllMocks();
      expect(io.err.join('')).toBe(`signals ingest: ${file}:1: ${warning}\n`);
      expect((await createSignalsService(store).api.traces({ limit: 10 })).items.map((t) => t.agent)).toEqual(['shop']);
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('usage and file errors exit 2 with one line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-ingest-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"resourceSpans": 5}');
    const io = capture();
    expect(await runCli(['ingest'])).toBe(2);
    expect(await runCli(['ingest', join(dir, 'missing.json'), '--db', join(dir, 'x.db')])).toBe(2);
    expect(await runCli(['ingest', bad, '--db', join(dir, 'x.db')])).toBe(2);
    vi.restoreAllMocks();
    expect(io.err[0]).toBe('signals ingest: give at least one OTLP/JSON export file, or --sample (see signals ingest --help)\n');
    expect(io.err[1]).toContain('missing.json: ENOENT');
    expect(io.err[2]).toMatch(/^signals ingest: .*bad\.json:1: Not a readable OTLP\/JSON trace export: /);
  });

  it('--url sends an export answered 503 + Retry-After again, and it is stored', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-ingest-url-'));
    const store = await openStore({ url: join(dir, 'signals.db') });
    const held = heldJudge();
    const service = createSignalsService(store, { now: () => T0 + 3_600_000, inline: held.judge });
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const blocking = JSON.stringify(otlpTurn('a'.repeat(32), T0, 'I want a refund'));
    const file = join(dir, 'exports.json');
    writeFileSync(file, JSON.stringify(otlpTurn('b'.repeat(32), T0 + 1000, 'hello')));
    // Room for one export: while another's judging is held, the CLI's is answered 503; the hold ends with that answer.
    const server = await startNodeServer({ ...configFromEnv({ SIGNALS_INGEST_QUEUE_BYTES: String(blocking.length) }), signals: service }, 0, '127.0.0.1');
    try {
      const statuses: number[] = [];
      server.server.on('request', (_req, res) => res.on('finish', () => (statuses.push(res.statusCode), res.statusCode === 503 && held.release())));
      const first = fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: blocking });
      await held.started;
      const io = capture();
      expect(await runCli(['ingest', file, '--url', server.url, '--json'])).toBe(0);
      expect(io.out.join('')).toBe('{"exports":1}\n');
      expect(io.err.join('')).toMatch(/^signals ingest: .*exports\.json:1: HTTP 503, sending it again in 2 s\n$/);
      expect((await first).status).toBe(200);
      expect(statuses.filter((s) => s === 503)).toHaveLength(1);
      const labels = (await service.api.labels('refund-span', { limit: 10 })).items.map((l) => l.value).sort();
      expect(labels).toEqual(['no', 'yes']);
    } finally {
      await server.close();
      await store.close();
    }
  });

  describe('--url speaks to the service through the client the other --url commands use', () => {
    /** A receiver on loopback answering `status` with `body`, recording each request's headers. */
    async function receiver(status: number, body: string, type: string) {
      const seen: IncomingHttpHeaders[] = [];
      const server = createServer((req, res) => {
        seen.push(req.headers);
        req.resume();
        req.on('end', () => res.writeHead(status, { 'content-type': type }).end(body));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
    }
    const exportFile = () => {
      dir = mkdtempSync(join(tmpdir(), 'signals-ingest-client-'));
      const file = join(dir, 'one.json');
      writeFileSync(file, JSON.stringify(otlpTurn('c'.repeat(32), T0, 'hello')));
      return file;
    };
    /** `signals ingest ...args` with SIGNALS_* variables set for the call (a local store in the test's folder otherwise). */
    async function ingest(args: string[], env: Record<string, string>) {
      const saved = Object.fromEntries(['SIGNALS_API_TOKEN', 'SIGNALS_URL', 'SIGNALS_DB'].map((k) => [k, process.env[k]]));
      Object.assign(process.env, { SIGNALS_DB: join(dir, 'local.db'), ...env });
      try {
        return await cli(['ingest', ...args]);
      } finally {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }

    it('an unreachable service is one line naming the URL, exit 2, as for signals list', async () => {
      const file = exportFile();
      const r = await ingest([file, '--url', 'http://127.0.0.1:9'], {});
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^signals ingest: .*one\.json:1: Cannot reach the signals service at http:\/\/127\.0\.0\.1:9: [^\n]+\n$/);
      expect(await ingest([file, '--url', 'ftp://127.0.0.1:9'], {})).toMatchObject({
        code: 2,
        err: 'signals ingest: --url: an http(s) URL like http://127.0.0.1:8787, got "ftp://127.0.0.1:9" (see signals ingest --help)\n',
      });
    });

    it("sends the client's headers, and shows neither a proxy's page nor escapes from an error message", async () => {
      const file = exportFile();
      const page = await receiver(502, '<html>PROXY-INTERNAL-PAGE-5c1e</html>', 'text/html');
      const refusal = await receiver(400, JSON.stringify({ error: { code: 'invalid', message: 'bad export\n\u001b]52;c;cGF3bmVk\u0007 here' } }), 'application/json');
      try {
        const failed = await ingest([file], { SIGNALS_URL: page.url, SIGNALS_API_TOKEN: 'tok-1' });
        expect(failed.code).toBe(2);
        expect(failed.err).toMatch(/^signals ingest: .*one\.json:1: POST http:\/\/127\.0\.0\.1:\d+\/v1\/traces: HTTP 502, not a JSON answer\n$/);
        expect(page.seen).toHaveLength(1);
        expect(page.seen[0]).toMatchObject({ authorization: 'Bearer tok-1', 'x-signals-client': 'cli', accept: 'application/json', 'content-type': 'application/json' });
        const refused = await ingest([file, '--url', refusal.url], {});
        expect(refused.code).toBe(1);
        expect(refused.err).toMatch(/^signals ingest: .*one\.json:1: bad export; \\x1b\]52;c;cGF3bmVk\\x07 here\n$/);
      } finally {
        await page.close();
        await refusal.close();
      }
    });
  });
});
