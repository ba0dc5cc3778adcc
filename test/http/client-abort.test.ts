/**
 * A client that hangs up mid-body: Node's adapter fails the body read with `Error: aborted` (code `ECONNRESET`, as
 * Node's `abortIncoming` makes it) and aborts the request's signal. That is the client's doing: it must not be taken for
 * the store's shortage (the 503 path, which also logs "the database server is unreachable" for the operator).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

afterEach(() => vi.restoreAllMocks());

/** A request whose body breaks off as Node's adapter reports a client that hung up. */
function hungUp(path: string): Request {
  const controller = new AbortController();
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      stream.enqueue(new TextEncoder().encode('{"definition":'));
    },
    pull(stream) {
      controller.abort();
      stream.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    },
  });
  return new Request(`http://127.0.0.1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: controller.signal, duplex: 'half' } as RequestInit);
}

describe('a client that hangs up mid-body', () => {
  it('is answered 400 and logged as nothing, not as the store being unreachable', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
    const dir = newStoreDir('signals-abort-');
    const store = await openTestStore(dir);
    try {
      const app = createApp({ ...configFromEnv({}), signals: createSignalsService(store) });
      for (const path of ['/v1/signals', '/v1/traces', '/v1/analyze']) {
        const res = await app.request(hungUp(path));
        expect([path, res.status], await res.text()).toEqual([path, 400]);
      }
      expect(errors).toEqual([]);
    } finally {
      await store.close();
      removeStoreDir(dir);
    }
  });
});
