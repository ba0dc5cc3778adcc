import { CLI_HELP } from './cli-help.js';
import { runAnalyze } from './commands/analyze.js';

type Command = (argv: string[]) => Promise<number>;

/** Subcommands; triage and eval load on demand so `analyze` starts without their dependencies. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  analyze: async () => runAnalyze,
  triage: async () => (await import('./commands/triage.js')).runTriage,
  eval: async () => (await import('./commands/eval.js')).runEval,
  templates: async () => (await import('./commands/templates.js')).runTemplates,
  init: async () => (await import('./commands/init.js')).runInit,
  test: async () => (await import('./commands/signal-test.js')).runSignalTest,
};

/** Dispatches `signals <command> ...` and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
