import { readFileSync } from 'node:fs';
import { CLI_HELP } from './cli-help.js';
import { runAnalyze } from './commands/analyze.js';

type Command = (argv: string[]) => Promise<number>;

/** The version in package.json (two levels up from src/node and from dist/node). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Subcommands; triage and eval load on demand so `analyze` starts without their dependencies. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  analyze: async () => runAnalyze,
  triage: async () => (await import('./commands/triage.js')).runTriage,
  eval: async () => (await import('./commands/eval.js')).runEval,
  templates: async () => (await import('./commands/templates.js')).runTemplates,
  init: async () => (await import('./commands/init.js')).runInit,
  test: async () => (await import('./commands/signal-test.js')).runSignalTest,
  ingest: async () => (await import('./commands/ingest.js')).runIngest,
};

/** Dispatches `signals <command> ...` and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  // `signals help analyze` is `signals analyze --help`.
  if (name === 'help' && rest.length > 0) return runCli([rest[0], '--help']);
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(CLI_HELP);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    process.stderr.write(`signals: unknown command "${name}" (see signals --help)\n`);
    return 2;
  }
  return (await load())(rest);
}
