import { readFileSync } from 'node:fs';
import { CLI_HELP } from './cli-help.js';
import { runAnalyze } from './commands/analyze.js';
import '../outbound/node-resolver.js';

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
  providers: async () => (await import('./commands/providers.js')).runProviders,
  templates: async () => (await import('./commands/templates.js')).runTemplates,
  init: async () => (await import('./commands/init.js')).runInit,
  test: async () => (await import('./commands/signal-test.js')).runSignalTest,
  ingest: async () => (await import('./commands/ingest.js')).runIngest,
  list: async () => (await import('./commands/signals.js')).runList,
  show: async () => (await import('./commands/signals.js')).runShow,
  learn: async () => (await import('./commands/learn.js')).runLearn,
  review: async () => (await import('./commands/review.js')).runReview,
  create: async () => (await import('./commands/signals.js')).runCreate,
  edit: async () => (await import('./commands/signals.js')).runEdit,
  activate: async () => (await import('./commands/signals.js')).runActivate,
  disable: async () => (await import('./commands/signals.js')).runDisable,
  archive: async () => (await import('./commands/signals.js')).runArchive,
  restore: async () => (await import('./commands/signals.js')).runRestore,
  versions: async () => (await import('./commands/signals.js')).runVersions,
  target: async () => (await import('./commands/results.js')).runTarget,
  labels: async () => (await import('./commands/results.js')).runLabels,
  sessions: async () => (await import('./commands/traffic.js')).runSessions,
  traces: async () => (await import('./commands/traffic.js')).runTraces,
  distribution: async () => (await import('./commands/results.js')).runDistribution,
  run: async () => (await import('./commands/runs.js')).runRun,
  runs: async () => (await import('./commands/runs.js')).runRuns,
  alerts: async () => (await import('./commands/alerts.js')).runAlerts,
  serve: async () => (await import('./commands/serve.js')).runServe,
  config: async () => (await import('./commands/config.js')).runConfig,
  mcp: async () => (await import('./commands/mcp.js')).runMcp,
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
