// Issue 22 item 2: a full store answers 503 + Retry-After (OTLP/JSON: the JSON error; OTLP/protobuf: a
// google.rpc.Status body), logs the cause once, loses no acknowledged span, and recovers when space returns.
// The store lives on a small tmpfs filled up by the test when it can mount one (root), else SQLite's own page
// cap (PRAGMA max_page_count) makes the same SQLITE_FULL.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { configFromEnv } from '../../src/http/app.js';
import { encodeExportTraceRequest } from '../../src/otlp/proto-encode.js';
import type { ExportTraceRequestJson } from '../../src/otlp/types.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { rpcStatus } from '../helpers/rpc-status.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Export `e` with `n` chat spans of about 1 KB each, all of agent `shop`. */
function exportOf(e: number, n: number): ExportTraceRequestJson {
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  const text = `where is my parcel ${'x'.repeat(900)}`;
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: hex(e * 10_000 + Math.floor(i / 4) + 1, 32),
    spanId: hex(e * 100_000 + i + 1, 16),
    name: 'chat gpt-test',
    kind: 3,
    startTimeUnixNano: ns(T0 + i),
    endTimeUnixNano: ns(T0 + i + 1),
    attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]))],
  }));
  return { resourceSpans: [{ resource: { attributes: [attr('service.name', 'shop')] }, scopeSpans: [{ scope: { name: 'full-test' }, spans }] }] } as ExportTraceRequestJson;
}

function tryMountTmpfs(dir: string): boolean {
  if (process.getuid?.() !== 0 || process.env.SIGNALS_TEST_NO_TMPFS === '1') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const root = mkdtempSync(join(tmpdir(), 'signals-full-'));
const mountDir = join(root, 'disk');
mkdirSync(mountDir);
const tmpfs = tryMountTmpfs(mountDir);
const filler = join(mountDir, 'filler');
let node: NodeService;
let server: NodeServer;
const errors: string[] = [];

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
  // The background work logs as it does in production (its own once-per-episode store log, to console.error).
  node = await startNodeService({ SIGNALS_DB: join(mountDir, 'signals.db') }, { intervalMs: 200 });
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await node?.stop();
  vi.restoreAllMocks();
  if (tmpfs) execFileSync('umount', ['-l', mountDir]);
  rmSync(root, { recursive: true, force: true });
});

/** Takes the rest of the space: fills the tmpfs up, or caps SQLite at the pages it has. */
async function fill(): Promise<void> {
  if (tmpfs) {
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
  } else {
    const [{ page_count }] = await node.store.db.all<{ page_count: number }>(sql`PRAGMA page_count`);
    await node.store.db.run(sql.raw(`PRAGMA max_page_count = ${page_count}`));
  }
}

async function free(): Promise<void> {
  if (tmpfs) unlinkSync(filler);
  else await node.store.db.run(sql.raw('PRAGMA max_page_count = 1073741823'));
}

const post = (body: Uint8Array | string, type: string) => fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': type }, body });
const SPANS = 600;
const json = (e: number) => post(JSON.stringify(exportOf(e, SPANS)), 'application/json');
const proto = (e: number) => post(encodeExportTraceRequest(exportOf(e, SPANS)), 'application/x-protobuf');

describe(`full store (${tmpfs ? 'tmpfs filled up' : 'SQLite page cap'})`, () => {
  it('answers 503 + Retry-After on OTLP/JSON and protobuf, logs once, loses no acknowledged span, recovers', async () => {
    const acked: number[] = [];
    for (const e of [1, 2]) {
      const res = await (e === 1 ? json(e) : proto(e));
      expect(res.status).toBe(200);
      acked.push(e);
    }
    await fill();
    // The store may still fit part of the first export into pages it has: send until it is refused.
    const refused: { e: number; kind: 'json' | 'protobuf'; res: Response }[] = [];
    for (let e = 3; e < 12 && refused.length < 4; e++) {
      const kind = refused.length % 2 === 0 ? 'json' : 'protobuf';
      const res = await (kind === 'json' ? json(e) : proto(e));
      if (res.status === 200) {
        acked.push(e);
        await res.arrayBuffer();
      } else refused.push({ e, kind, res });
    }
    expect(refused.length).toBe(4);
    for (const { kind, res } of refused) {
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      if (kind === 'json') {
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(await res.json()).toEqual({ error: { code: 'store_unavailable', message: expect.stringMatching(/full/) } });
      } else {
        expect(res.headers.get('content-type')).toBe('application/x-protobuf');
        const status = rpcStatus(new Uint8Array(await res.arrayBuffer()));
        expect(status.code).toBe(14); // UNAVAILABLE
        expect(status.message).toMatch(/full/);
      }
    }
    // Reads still work while writes are refused.
    expect((await fetch(`${server.url}/v1/agents`)).status).toBe(200);
    await free();
    // The exporter retries what was refused.
    for (const { e, kind } of refused) {
      const res = await (kind === 'json' ? json(e) : proto(e));
      expect(res.status, errors.join('\n')).toBe(200);
      await res.arrayBuffer();
      acked.push(e);
    }
    const [{ n }] = await node.store.db.all<{ n: number }>(sql`select count(*) as n from spans`);
    expect(n).toBe(acked.length * SPANS);
    const httpLines = errors.filter((l) => l.startsWith('signals HTTP:'));
    expect(httpLines.filter((l) => /store unavailable \(SQLITE_FULL\)/.test(l))).toHaveLength(1);
    expect(httpLines.filter((l) => /store available again/.test(l))).toHaveLength(1);
    // The background lanes (their lease writes fail too) name the cause, never a query.
    const backgroundLines = errors.filter((l) => l.startsWith('signals background work'));
    for (const line of backgroundLines) expect(line).toMatch(/store unavailable \(SQLITE_FULL\): the database or its disk is full|store available again/);
    expect(errors.join('\n')).not.toMatch(/insert into|params:/);
  });
});
