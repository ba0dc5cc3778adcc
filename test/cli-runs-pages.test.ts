// `signals runs` lists 50 runs unless asked, says when more follow and how to go on (`--cursor`, `--all`), fetches
// any `--limit` or `--all` a page of 200 at a time, and never stops at a cap without saying so (it listed the first
// 200 runs and no more, silently).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page, RunSummary } from '../src/service/api.js';
import { createSignalsService } from '../src/service/service.js';
import { openStore } from '../src/store/libsql.js';
import { cli, cliJson } from './helpers/cli-run.js';
import { refundSignal } from './service/fixtures.js';

const RUNS = 230;
const dir = mkdtempSync(join(tmpdir(), 'signals-cli-runs-'));
const db = join(dir, 'signals.db');
/** The run ids, newest first. */
let started: string[] = [];

beforeAll(async () => {
  const store = await openStore({ url: db });
  let now = Date.parse('2026-11-30T12:00:00Z');
  const service = createSignalsService(store, { now: () => now });
  await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
  for (let k = 0; k < RUNS; k++) {
    now += 1000;
    started.unshift((await service.api.startRun('refund-trace', { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' })).id);
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('lists 50 runs unless asked, and its last line says how to list the others', async () => {
  const r = await cli(['runs', '--db', db]);
  expect(r.code, r.err).toBe(0);
  const lines = r.out.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^RUN\s+SIGNAL/);
  expect(lines.slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual(started.slice(0, 50));
  const cursor = /^more runs: --cursor (\S+) \(or --all\)$/.exec(lines.at(-1)!)?.[1];
  expect(cursor).toBeDefined();
  const next = await cliJson<Page<RunSummary>>(['runs', '--db', db, '--limit', '10', '--cursor', cursor!]);
  expect(next.items.map((x) => x.id)).toEqual(started.slice(50, 60));
  expect(next.nextCursor).not.toBeNull();
});

it('--limit past a page and --all fetch page after page; the JSON says whether more follow', async () => {
  const some = await cliJson<Page<RunSummary>>(['runs', 'refund-trace', '--db', db, '--limit', '201']);
  expect(some.items.map((x) => x.id)).toEqual(started.slice(0, 201));
  expect(some.nextCursor).not.toBeNull();
  const all = await cliJson<Page<RunSummary>>(['runs', '--db', db, '--all']);
  expect(all.items.map((x) => x.id)).toEqual(started);
  expect(all.nextCursor).toBeNull();
  const exact = await cliJson<Page<RunSummary>>(['runs', '--db', db, '--limit', String(RUNS)]);
  expect(exact.items).toHaveLength(RUNS);
  const text = await cli(['runs', '--db', db, '--all']);
  expect(text.out.trimEnd().split('\n')).toHaveLength(RUNS + 1);
  expect(text.out).not.toContain('more runs');
});

it('refuses --limit with --all, and a --limit that is not a whole number from 1', async () => {
  for (const args of [['--limit', '5', '--all'], ['--limit', '0'], ['--limit', '2.5'], ['--limit', 'many']]) {
    const r = await cli(['runs', '--db', db, ...args]);
    expect([r.code, r.out], args.join(' ')).toEqual([2, '']);
    expect(r.err, args.join(' ')).toMatch(/^signals runs: --limit/);
  }
});
