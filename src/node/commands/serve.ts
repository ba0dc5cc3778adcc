import { configFromEnv } from '../../http/app.js';
import { nodeTimeoutsFromEnv, startNodeServer } from '../../http/node.js';
import { startNodeService } from '../../service/node-runner.js';
import { nodeProviders } from '../../service/node-providers.js';
import { DEFAULT_DB_PATH } from '../../store/libsql.js';
import { describeStore } from '../../store/open.js';
import { UsageError } from '../usage-error.js';
import { command, print, str } from './cli-kit.js';

/** `signals serve`: the HTTP service, dashboard and MCP endpoint on Node, with the store embedded. */
export const runServe = command({
  name: 'serve',
  help: `Usage: signals serve [--port N] [--host H] [--db PATH|URL]

Runs the signals service on Node: the HTTP API (/v1/*), the dashboard (/), MCP over Streamable HTTP (/mcp)
and the background work (live labelling, backfills, alerts), with the store embedded. Settings come from the
environment as for npm run serve (SIGNALS_API_TOKEN, SIGNALS_RETENTION_DAYS, ...). Stops on SIGINT/SIGTERM.

Options
  --port N       port (default $PORT, else 8787; 0 picks a free one)
  --host H       interface (default $HOST, else 127.0.0.1)
  --db PATH|URL  the store (default: $SIGNALS_DB, else ${DEFAULT_DB_PATH})

Examples
  signals serve
  SIGNALS_API_TOKEN=s3cret signals serve --port 9000 --db /var/lib/signals.db`,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run({ values }) {
    const port = Number(str(values, 'port') ?? process.env.PORT ?? 8787);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: 0 to 65535, got "${String(values.port)}"`);
    const host = str(values, 'host') ?? process.env.HOST ?? '127.0.0.1';
    const env = str(values, 'db') === undefined ? process.env : { ...process.env, SIGNALS_DB: str(values, 'db') };
    let config;
    let timeouts;
    try {
      config = { ...configFromEnv(env), providers: nodeProviders(env) };
      timeouts = nodeTimeoutsFromEnv(env);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    let node;
    try {
      node = await startNodeService(env, { providers: config.providers });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const server = await startNodeServer({ ...config, signals: node.service }, port, host, timeouts);
    // The store's URL without its password: a PostgreSQL URL carries one, and this line goes to logs.
    print(`signals service on ${server.url} (store ${describeStore(env.SIGNALS_DB || DEFAULT_DB_PATH)}; dashboard /, API /v1, MCP /mcp)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await node.stop();
    return 0;
  },
});
