// The built CLI (`npm run build` writes it) run as a user runs it: a child process with its own stdin and exit code.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI's entry point. */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url));

/** What one run of the built CLI printed and how it ended. */
export interface BuiltCliRun {
  /** Exit code, `null` when a signal (or the timeout) ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of `signals`: working directory, environment, a time limit in ms (default 120 s). */
export interface BuiltCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeout?: number;
}

/** Runs `signals ...args` with the built CLI, `input` on its stdin, and waits for it (outputs up to 256 MB). */
export function signals(args: string[], input?: string | Buffer, options: BuiltCliOptions = {}): BuiltCliRun {
  // A hung CLI must fail its test: spawnSync blocks the test's thread, so vitest's own time limit cannot end it.
  const run = spawnSync(process.execPath, [BUILT_CLI, ...args], { timeout: 120_000, ...options, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}
