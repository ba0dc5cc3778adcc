// Run lists are paged (newest first, a `nextCursor` to pass back as `cursor`), the way label lists are: every run is
// reachable however many there are (the list stopped at 200 without saying so), a run started between two pages
// neither repeats nor hides one, and a key scoped to one agent pages its own signals' runs only, whatever cursor it
// is handed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import type { Page, RunSummary, SignalsApi } from '../../src/service/api.js';
import { scopedApi } from '../../src/service/scoped-api.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal } from './fixtures.js';

const WINDOW = { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' };

let dir: string;
let store: Store;
let now: number;
let service: SignalsService;
beforeEach(async () => {
  dir = newStoreDir('signals-run-pages-');
  store = await openTestStore(dir);
  now = Date.parse('2026-11-30T12:00:00Z');
  service = createSignalsService(store, { now: () => now });
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

/** Signals named NAME for AGENT, active. */
async function signals(...pairs: [name: string, agent: string][]): Promise<void> {
  for (const [name, agent] of pairs) await service.api.createSignal({ definition: { ...refundSignal('trace'), name, agent } as never, state: 'active' });
}

/** Starts a run of `name`, `tick` ms after the last one (0: at the same millisecond); its id. */
async function start(name: string, tick = 1000): Promise<string> {
  now += tick;
  return (await service.api.startRun(name, WINDOW)).id;
}

/** Every page of a list from `cursor` on, `limit` at a time. */
async function walk(api: SignalsApi, query: { signal?: string; limit: number; cursor?: string }): Promise<{ ids: string[]; pages: Page<RunSummary>[] }> {
  const pages: Page<RunSummary>[] = [];
  let cursor = query.cursor;
  // Bounded: a list that gave the same cursor again would otherwise never end.
  for (let n = 0; n < 100; n++) {
    const page = await api.listRuns(query.signal, { limit: query.limit, cursor });
    pages.push(page);
    if (typeof page.nextCursor !== 'string') return { ids: pages.flatMap((p) => p.items.map((r) => r.id)), pages };
    cursor = page.nextCursor;
  }
  throw new Error(`more than 100 pages of ${query.limit} runs`);
}

describe('listRuns pages', () => {
  it('reaches every run past 200, newest first, each once, and says when more follow', async () => {
    await signals(['refund-a', 'shop'], ['refund-b', 'shop']);
    const started: string[] = [];
    // Runs started in the same millisecond too: the id breaks the tie, so a page boundary between them loses none.
    for (let k = 0; k < 230; k++) started.push(await start(k % 2 === 0 ? 'refund-a' : 'refund-b', k % 3 === 0 ? 0 : 1000));
    const newestFirst = [...started].reverse();

    const first = await service.api.listRuns();
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const { ids, pages } = await walk(service.api, { limit: 200 });
    expect(pages.map((p) => p.items.length)).toEqual([200, 30]);
    expect(new Set(ids).size).toBe(230);
    expect(new Set(ids)).toEqual(new Set(started));
    // Newest first by start time (ties in one fixed order, whatever the page size).
    const times = pages.flatMap((p) => p.items.map((r) => r.createdAt));
    expect(times).toEqual([...times].sort().reverse());
    expect(ids[0]).toBe(newestFirst[0]);
    expect((await walk(service.api, { limit: 7 })).ids).toEqual(ids);

    // One signal's runs page the same way.
    const a = await walk(service.api, { signal: 'refund-a', limit: 40 });
    expect(a.pages).toHaveLength(3);
    expect(new Set(a.ids)).toEqual(new Set(started.filter((_, k) => k % 2 === 0)));
  });

  it('a run started between two pages neither repeats nor hides a run of the next page', async () => {
    await signals(['refund-a', 'shop']);
    const before: string[] = [];
    for (let k = 0; k < 6; k++) before.push(await start('refund-a'));
    const first = await service.api.listRuns(undefined, { limit: 3 });
    const late = await start('refund-a');
    const rest = await walk(service.api, { limit: 3, cursor: first.nextCursor! });
    expect([...first.items.map((r) => r.id), ...rest.ids]).toEqual([...before].reverse());
    expect((await service.api.listRuns(undefined, { limit: 1 })).items[0].id).toBe(late);
  });

  it('refuses a limit out of 1 to 200 and a cursor it did not give, with a 400 naming it', async () => {
    const app = createApp({ ...configFromEnv({}), signals: service });
    for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=2.5', 'limit'], ['limit=ten', 'limit'], ['cursor=%25%25', 'cursor'], ['cursor=bm90LWEtY3Vyc29y', 'cursor']]) {
      const res = await app.request(`/v1/runs?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, query).toBe('invalid');
      expect(body.error.message, query).toContain(field);
    }
    await signals(['refund-a', 'shop']);
    const ids = [await start('refund-a'), await start('refund-a'), await start('refund-a')];
    const page = (await (await app.request('/v1/runs?limit=2')).json()) as Page<RunSummary>;
    expect(page.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const next = (await (await app.request(`/v1/signals/refund-a/runs?limit=2&cursor=${encodeURIComponent(page.nextCursor!)}`)).json()) as Page<RunSummary>;
    expect(next).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });
});

describe("a key scoped to one agent pages its own signals' runs", () => {
  it("never another agent's or a `*` signal's, whatever cursor it is handed", async () => {
    await signals(['alpha-a', 'alpha'], ['beta-a', 'beta'], ['every', '*'], ['alpha-b', 'alpha']);
    const mine: string[] = [];
    // Interleaved, so every page boundary of alpha's list falls between other agents' runs.
    for (let k = 0; k < 12; k++) {
      mine.push(await start(k % 2 === 0 ? 'alpha-a' : 'alpha-b'));
      await start('beta-a');
      await start('every');
    }
    const alpha = scopedApi(service.api, { agent: 'alpha' });
    const own = await walk(alpha, { limit: 5 });
    expect(own.ids).toEqual([...mine].reverse());
    expect(own.pages.map((p) => p.items.length)).toEqual([5, 5, 2]);

    // The operator's cursors, and one made up pointing past every run: alpha still sees its own runs only, those
    // older than the position.
    const operator = await walk(service.api, { limit: 4 });
    const created = new Map((await walk(service.api, { limit: 200 })).pages.flatMap((p) => p.items).map((r) => [r.id, r.createdAt]));
    for (const [i, page] of operator.pages.entries()) {
      if (page.nextCursor === null) continue;
      const last = operator.pages[i].items.at(-1)!;
      const seen = await walk(alpha, { limit: 3, cursor: page.nextCursor });
      expect(seen.ids).toEqual([...mine].reverse().filter((id) => created.get(id)! < last.createdAt));
    }
    const forged = btoa(`${Date.parse('2030-01-01T00:00:00Z')}:run_zzzz`).replace(/=+$/, '');
    expect((await walk(alpha, { limit: 50, cursor: forged })).ids).toEqual([...mine].reverse());
    // Another agent's signal answers as a missing one, with or without a cursor.
    await expect(alpha.listRuns('beta-a', { cursor: forged })).rejects.toMatchObject({ code: 'not_found' });
    await expect(alpha.listRuns(undefined, { agent: 'beta' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
