// A long conversation is read a page at a time: the last 200 messages by default, earlier pages by index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { span } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const N = 2500;
let dir: string;
let store: Store;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = newStoreDir('signals-pages-');
  store = await openTestStore(dir);
  const service = createSignalsService(store, { now: () => T0 + 60_000 });
  app = createApp({ ...configFromEnv({}), signals: service });
  const messages = Array.from({ length: N }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${i}` }));
  await service.ingest([span({ traceId: 'long1', spanId: 'long1-llm', kind: 'llm', sessionId: 'talk', startMs: T0, endMs: T0 + 1000, messages })]);
});
afterAll(async () => {
  await store.close();
  removeStoreDir(dir);
});

type Page = { messages: { value: string }[]; messageCount: number; messageOffset: number; report: { summary: string } };
const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Page & { error?: { message: string } } };
};

describe('GET /v1/targets/:kind/:id pages the messages', () => {
  it('answers the last 200 by default, with the total and where the page starts', async () => {
    const { status, body } = await get('/v1/targets/session/talk?agent=shop');
    expect(status).toBe(200);
    expect(body.messageCount).toBe(N);
    expect(body.messageOffset).toBe(N - 200);
    expect(body.messages).toHaveLength(200);
    expect(body.messages[0].value).toBe(`message ${N - 200}`);
    expect(body.messages[199].value).toBe(`message ${N - 1}`);
  });

  it('walks back with before, and the pages cover the conversation once', async () => {
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const { body } = await get(`/v1/targets/session/talk?agent=shop&limit=1000${before === undefined ? '' : `&before=${before}`}`);
      seen.unshift(...body.messages.map((m) => m.value));
      if (body.messageOffset === 0) break;
      before = body.messageOffset;
    }
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => `message ${i}`));
  });

  it('refuses a page size past 1,000 or a negative index with a 400 naming it', async () => {
    for (const [q, field] of [['limit=5000', 'limit'], ['limit=0', 'limit'], ['before=-1', 'before'], ['limit=2.5', 'limit']]) {
      const { status, body } = await get(`/v1/targets/session/talk?agent=shop&${q}`);
      expect(status, q).toBe(400);
      expect(body.error!.message).toContain(field);
    }
  });
});
