import { readFileSync } from 'node:fs';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createSignalsMcpServer } from '../../mcp/tools.js';
import type { SignalsApi } from '../../service/api.js';
import type { Caller } from '../../service/caller.js';
import { startNodeService } from '../../service/node-runner.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, remoteService, str } from './cli-kit.js';

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** `signals mcp`: the MCP server over stdio, for AI assistants (Claude Desktop, Claude Code, …). */
export const runMcp = command({
  name: 'mcp',
  help: `Usage: signals mcp [--url URL | --db PATH]

Serves the signals tools to an MCP client over stdio (list, create, edit, activate, test and backfill
signals, read labels, distributions and targets, create, edit, pause and backtest alerts). Against the local
store by default, or a running service with --url (token from $SIGNALS_API_TOKEN). On the local store it runs
the background work in this process while it is up, as signals serve does: backfills started with
start_backfill, queued LLM labels, settling traces and sessions, alerts. Stops when stdin closes.

Options
${BACKEND_HELP}

Examples
  signals mcp
  claude mcp add signals -- npx signals mcp --url http://127.0.0.1:8787`,
  async run({ values, backend }) {
    const remote = remoteService({ url: str(values, 'url') });
    let api: SignalsApi;
    // A service's key scoped to one agent gets only the tools it may call; a server that cannot say (unreachable now,
    // or older) gets every tool, and refuses what it refuses as a tool error. The local store is the operator's.
    let caller: Caller | undefined;
    let stop: () => Promise<void> = async () => undefined;
    if (remote !== undefined) {
      const opened = await backend('read');
      api = opened.api;
      caller = await opened.caller();
    } else {
      const db = str(values, 'db');
      const env = db === undefined ? process.env : { ...process.env, SIGNALS_DB: db };
      let node;
      try {
        // Stdout carries the protocol: background failures go to stderr only.
        node = await startNodeService(env, { onError: (err) => process.stderr.write(`signals mcp: background work: ${err instanceof Error ? err.message : String(err)}\n`) });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      api = node.service.api;
      stop = () => node.stop();
    }
    const v = version();
    const handle = serveStdio(() => createSignalsMcpServer(api, v, caller));
    // Until the client closes stdin (the transport then closes itself).
    await new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
    });
    await handle.close();
    await stop();
    return 0;
  },
});
