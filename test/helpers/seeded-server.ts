// A Node server (the API and the dashboard) over a fresh libsql store that a test filled through the service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer } from '../../src/http/node.js';
import type { ServiceOptions } from '../../src/service/context.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';

/** A served store: its URL, and `close` (server, store, folder). */
export interface SeededServer {
  url: string;
  close(): Promise<void>;
}

/** Opens a store in a new temporary folder (`prefix` + random), lets `seed` fill it, and serves it on 127.0.0.1. */
export async function seededServer(prefix: string, seed: (service: SignalsService) => Promise<void>, options: ServiceOptions = {}): Promise<SeededServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await openStore({ url: join(dir, 'signals.db') });
  const service = createSignalsService(store, options);
  await seed(service);
  const server = await startNodeServer({ ...configFromEnv({}), signals: service }, 0, '127.0.0.1');
  return {
    url: server.url,
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
