import { readFileSync } from 'node:fs';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createSignalsMcpServer } from '../../mcp/tools.js';
import { BACKEND_HELP, command } from './cli-kit.js';

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** `signals mcp`: the MCP server over stdio, for AI assistants (Claude Desktop, Claude Code, …). */
export const runMcp = command({
  name: 'mcp',
  help: `Usage: signals mcp [--url URL | --db PATH]

Serves the signals tools to an MCP client over stdio (list, create, edit, activate, test and backfill
signals, read labels, distributions and targets, create, pause and backtest alerts). Against the local store
by default, or a running service with --url (token from $SIGNALS_API_TOKEN). Stops when stdin closes.

Options
${BACKEND_HELP}

Examples
  signals mcp
  claude mcp add signals -- npx signals mcp --url http://127.0.0.1:8787`,
  async run({ backend }) {
    const { api } = await backend();
    const v = version();
    const handle = serveStdio(() => createSignalsMcpServer(api, v));
    // Until the client closes stdin (the transport then closes itself).
    await new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
    });
    await handle.close();
    return 0;
  },
});
