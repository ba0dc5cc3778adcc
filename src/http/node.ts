import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { startNodeService } from '../service/node-runner.js';
import { DEFAULT_DB_PATH } from '../store/libsql.js';
import { configFromEnv, createApp, type HttpConfig } from './app.js';

/** A running Node server of the HTTP service. */
export interface NodeServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The underlying `http.Server`. */
  server: ServerType;
  /** Stops accepting connections and resolves once the server is closed. */
  close(): Promise<void>;
}

/** Starts the Hono app on `@hono/node-server`; port 0 picks a free port. */
export function startNodeServer(config: HttpConfig, port: number, hostname: string): Promise<NodeServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: createApp(config).fetch, port, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        server,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive connections would otherwise hold close() open until they time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const host = process.env.HOST ?? '127.0.0.1';
  // The signals store is on by default (SIGNALS_DB, default .signals/signals.db); SIGNALS_DB=none serves without it.
  const signals = process.env.SIGNALS_DB?.trim() === 'none' ? undefined : await startNodeService(process.env);
  const running = await startNodeServer({ ...configFromEnv(process.env), signals: signals?.service }, port, host);
  console.log(`agent-signals HTTP service listening on ${running.url}${signals ? ` (signals store: ${process.env.SIGNALS_DB || DEFAULT_DB_PATH})` : ''}`);
  const stop = (): void => {
    running
      .close()
      .then(() => signals?.stop())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run only as the entry script (`node dist/http/node.js`), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
