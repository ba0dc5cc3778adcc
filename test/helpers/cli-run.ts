// Runs `signals …` in process and captures what it writes (stdout, stderr) and its exit code.
import { vi } from 'vitest';
import { runCli } from '../../src/node/run-cli.js';

/** What one CLI call printed and returned. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `signals ...args` with stdout/stderr captured; `columns` fixes the terminal width of tables. */
export async function cli(args: string[], columns = 160): Promise<CliResult> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const cols = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
  Object.defineProperty(process.stdout, 'columns', { value: columns, configurable: true });
  try {
    const code = await runCli(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    if (cols) Object.defineProperty(process.stdout, 'columns', cols);
    else delete (process.stdout as { columns?: number }).columns;
  }
}

/** `cli` then JSON.parse of stdout; fails loudly when the exit code is not 0. */
export async function cliJson<T = unknown>(args: string[]): Promise<T> {
  const r = await cli([...args, '--json']);
  if (r.code !== 0) throw new Error(`signals ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as T;
}
