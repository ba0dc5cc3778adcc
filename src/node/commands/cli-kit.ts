import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ServiceError, type SignalsApi } from '../../service/api.js';
import type { Action, Caller } from '../../service/caller.js';
import { serviceOptionsFromEnv } from '../../service/env.js';
import { nodeProviders } from '../../service/node-providers.js';
import { createHttpApi, DEFAULT_CLIENT_TIMEOUT_MS } from '../../service/http-api.js';
import { createSignalsService, type SignalsService } from '../../service/service.js';
import { DEFAULT_DB_PATH } from '../../store/libsql.js';
import { describeStore, openStoreFromEnv } from '../../store/open.js';
import { UsageError } from '../usage-error.js';
import { escapeControls, escapeTerminal } from '../escape-controls.js';
import { visibleName } from '../../formats/agent-name.js';

/** Where a command's `SignalsApi` comes from: the local store (default) or a running service (`--url`). */
export interface Backend {
  api: SignalsApi;
  /** The embedded service when the store is local (backfills run in this process); absent with `--url`. */
  service?: SignalsService;
  /**
   * Who the token is and what it may do on a running service (`GET /v1/whoami`, asked once); undefined for the local
   * store (the operator's), without a token, or from a server that cannot say (older, unreachable).
   */
  caller(): Promise<Caller | undefined>;
  close(): Promise<void>;
}

/** Options every store-touching command takes. */
export const BACKEND_OPTIONS = {
  url: { type: 'string' },
  db: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** The help text lines of `BACKEND_OPTIONS` and `--json`. */
export const BACKEND_HELP = `  --url URL      a running signals service (token from $SIGNALS_API_TOKEN, each request's deadline
                 $SIGNALS_CLIENT_TIMEOUT_SECONDS, default 60); default: the local store
  --db PATH|URL  the local store (default: $SIGNALS_DB, else .signals/signals.db)`;

/** The longest `SIGNALS_CLIENT_TIMEOUT_SECONDS` (an hour: a backfill's start or a large export answers well within it). */
const MAX_CLIENT_TIMEOUT_SECONDS = 3600;

/** A running service: its URL, the token to send, and how long one request may take. */
export interface RemoteService {
  url: string;
  token?: string;
  timeoutMs: number;
}

/**
 * The running service a command speaks to, `--url` or else `$SIGNALS_URL`, with the token `$SIGNALS_API_TOKEN` and
 * each request's deadline `$SIGNALS_CLIENT_TIMEOUT_SECONDS` (default 60); undefined for the local store. Every
 * `--url` command (`signals ingest --url` too) resolves it here.
 */
export function remoteService(values: { url?: string }, env: Record<string, string | undefined> = process.env): RemoteService | undefined {
  const url = values.url ?? (env.SIGNALS_URL?.trim() || undefined);
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url: an http(s) URL like http://127.0.0.1:8787, got "${url}"`);
  const given = env.SIGNALS_CLIENT_TIMEOUT_SECONDS?.trim() || undefined;
  const seconds = given === undefined ? DEFAULT_CLIENT_TIMEOUT_MS / 1000 : Number(given);
  if (!(seconds > 0 && seconds <= MAX_CLIENT_TIMEOUT_SECONDS)) {
    throw new UsageError(`SIGNALS_CLIENT_TIMEOUT_SECONDS: seconds above 0 and at most ${MAX_CLIENT_TIMEOUT_SECONDS}, got "${given}"`);
  }
  return { url, token: env.SIGNALS_API_TOKEN?.trim() || undefined, timeoutMs: Math.max(1, Math.round(seconds * 1000)) };
}

/**
 * Opens the backend: `--url` (or `$SIGNALS_URL`) speaks HTTP to a running service, otherwise the store (`--db`)
 * is opened in process without the background timer (a CLI call does its work and exits).
 */
export async function openBackend(values: { url?: string; db?: string }, env: Record<string, string | undefined> = process.env): Promise<Backend> {
  const remote = remoteService(values, env);
  if (remote !== undefined) {
    const { url, token, timeoutMs } = remote;
    const api = createHttpApi(url, token, timeoutMs);
    let asked: Promise<Caller | undefined> | undefined;
    // Only a token can be a key that lacks an action: without one the server is open to the caller, or answers 401.
    const caller = () => (asked ??= token === undefined ? Promise.resolve(undefined) : api.whoami().catch(() => undefined));
    return { api, caller, close: async () => undefined };
  }
  const withDb = values.db === undefined ? env : { ...env, SIGNALS_DB: values.db };
  let options;
  try {
    options = { ...serviceOptionsFromEnv(withDb), providers: nodeProviders(withDb) };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let store;
  try {
    store = await openStoreFromEnv(withDb);
  } catch (err) {
    throw new UsageError(`cannot open the store ${describeStore(withDb.SIGNALS_DB?.trim() || DEFAULT_DB_PATH)}: ${(err as Error).message}`);
  }
  const service = createSignalsService(store, options);
  return { api: service.api, service, caller: async () => undefined, close: () => store.close() };
}

/**
 * Stops a command against a running service before it sends anything when its token may not do one of `actions`
 * (what `GET /v1/whoami` says, which is what the service's routes allow): one line naming the action. A server that
 * cannot say is left to answer each request itself.
 */
export async function requireActions(backend: Backend, actions: readonly Action[]): Promise<void> {
  const caller = await backend.caller();
  const missing = actions.find((action) => caller?.can[action] === false);
  if (caller === undefined || missing === undefined) return;
  const who = caller.agent === null ? 'this token may not do it' : `this key opens agent "${visibleName(caller.agent)}" only`;
  throw new ServiceError('forbidden', `needs "${missing}", which is the operator's: ${who} (use the operator's token)`);
}

/** What a command's `run` gets. */
export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /**
   * Opened lazily on first use, closed after `run`; `needs` are the actions (src/service/caller.ts) the command is
   * about to take, checked against the caller first (requireActions), so a key learns up front what is the operator's.
   */
  backend(...needs: [Action, ...Action[]]): Promise<Backend>;
}

/** One CLI command: its name (for messages), help text, options and positional bounds. */
export interface CommandSpec {
  name: string;
  help: string;
  options?: ParseArgsConfig['options'];
  /** Positional arguments: fewest and most (default 0 and 0). */
  args?: [number, number];
  run(ctx: CommandContext): Promise<number>;
}

/**
 * Wraps a spec into `(argv) => exit code`, with the conventions every command shares: `-h/--help`, `--json`,
 * `--url/--db`, usage errors and service errors as one line on stderr (exit 2 for usage and I/O, 1 for a
 * request the service refused: unknown signal, invalid definition, state change not allowed).
 */
export function command(spec: CommandSpec): (argv: string[]) => Promise<number> {
  return async (argv) => {
    let opened: Backend | undefined;
    try {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { ...BACKEND_OPTIONS, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...spec.options },
      });
      if (values.help === true) {
        process.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
        return 0;
      }
      const [min, max] = spec.args ?? [0, 0];
      if (positionals.length < min) throw new UsageError(`missing argument (usage: ${spec.help.split('\n')[0].replace(/^Usage: /, '')})`);
      if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
      return await spec.run({
        values: values as CommandContext['values'],
        positionals,
        backend: async (...needs) => {
          opened ??= await openBackend(values as { url?: string; db?: string });
          await requireActions(opened, needs);
          return opened;
        },
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const usage = err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
      if (usage) {
        process.stderr.write(`signals ${spec.name}: ${escapeControls(oneLine((err as Error).message))} (see signals ${spec.name} --help)\n`);
        return 2;
      }
      if (err instanceof ServiceError) {
        process.stderr.write(`signals ${spec.name}: ${escapeControls(oneLine(err.message))}\n`);
        return err.code === 'unavailable' ? 2 : 1;
      }
      throw err;
    } finally {
      await opened?.close();
    }
  };
}

/** Dispatches `signals GROUP SUB ...` to one of `subs`; prints the group help on `--help` or no subcommand. */
export function group(name: string, help: string, subs: Record<string, (argv: string[]) => Promise<number>>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '-h' || sub === '--help') {
      (sub === undefined ? process.stderr : process.stdout).write(help);
      return sub === undefined ? 2 : 0;
    }
    const run = Object.hasOwn(subs, sub) ? subs[sub] : undefined;
    if (run === undefined) {
      process.stderr.write(`signals ${name}: unknown subcommand "${sub}" (${Object.keys(subs).join(', ')})\n`);
      return 2;
    }
    return run(rest);
  };
}

/** Error messages stay on one line (a multi-line definition error joins its problems with "; "). */
export function oneLine(message: string): string {
  return message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('; ');
}

/** Writes a value as pretty JSON. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes text, adding the final newline. */
export function print(text: string): void {
  // Lines quote captured traffic (agent names, ids, messages): its control characters are shown, never sent.
  const safe = escapeTerminal(text);
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/** The terminal width (`process.stdout.columns`, else `$COLUMNS`, else 100 for pipes). */
export function terminalWidth(): number {
  const cols = process.stdout.columns ?? Number(process.env.COLUMNS);
  return Number.isFinite(cols) && cols >= 20 ? cols : 100;
}

/**
 * A plain-text table sized to the terminal: columns as wide as their widest cell, and when the row is too wide
 * the last column (the free text: explanations, counts) is cut with "…".
 */
export function table(headers: string[], cells: string[][], width = terminalWidth()): string {
  if (cells.length === 0) return '';
  const rows = cells.map((r) => r.map(escapeControls));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fixed = widths.slice(0, -1).reduce((a, w) => a + w + 2, 0);
  widths[widths.length - 1] = Math.max(8, Math.min(widths[widths.length - 1], width - fixed));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i];
        const text = c.length > w ? `${c.slice(0, w - 1)}…` : c;
        return i === cells.length - 1 ? text : text.padEnd(w);
      })
      .join('  ');
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

/** `yes 12, no 30` (sorted by count, largest first), or `-`. */
export function counts(c: Record<string, number>): string {
  const entries = Object.entries(c).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '-' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

/** A string option, or undefined. */
export function str(values: CommandContext['values'], key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric option (`--rate 0.5`), or undefined; a non-number is a usage error. */
export function num(values: CommandContext['values'], key: string): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${key}: a number, got "${v}"`);
  return n;
}
