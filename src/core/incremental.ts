import { resolveOptions } from './options.js';
import { WindowState } from './window.js';
import type { AnalyzeOptions, Message, SignalReport } from './types.js';

/**
 * The resumable state of an {@link Analyzer}: plain JSON (survives `JSON.stringify`/`JSON.parse`). It holds the
 * rows of the window only (at most `maxMessages`), since the report depends on nothing before it.
 */
export interface AnalyzerSnapshot {
  version: 1;
  /** Rows appended so far, including those before the window. */
  size: number;
  /** The window's rows (the last `min(size, maxMessages)`), coerced to strings. */
  rows: Message[];
}

/** A conversation analyzed as it grows. */
export interface Analyzer {
  /** Appends one row or several, in order. O(1) amortized per row. */
  append(messages: Message | readonly Message[]): void;
  /**
   * The report of every row appended so far: byte for byte what `analyze(allRows, options)` gives after
   * `serializeReport`. O(signals), plus O(window) for the loop scans once the window has started to slide.
   */
  report(): SignalReport;
  /** The state to resume from with `createAnalyzer(options, snapshot)`. */
  snapshot(): AnalyzerSnapshot;
  /** Rows appended so far. */
  readonly size: number;
}

function fail(message: string): never {
  throw new TypeError(`createAnalyzer: snapshot ${message}`);
}

function windowOf(snapshot: AnalyzerSnapshot, maxMessages: number): Message[] {
  if (typeof snapshot !== 'object' || snapshot === null) fail('must be an object');
  if (snapshot.version !== 1) fail(`version must be 1, got ${JSON.stringify(snapshot.version)}`);
  const { size, rows } = snapshot;
  if (!Number.isSafeInteger(size) || size < 0) fail(`size must be a non-negative integer, got ${JSON.stringify(size)}`);
  if (!Array.isArray(rows)) fail('rows must be an array');
  if (rows.length > size) fail(`has ${rows.length} rows for size ${size}`);
  rows.forEach((row, i) => {
    if (typeof row !== 'object' || row === null || typeof row.from !== 'string' || typeof row.value !== 'string') {
      fail(`rows[${i}] must be {from: string, value: string}`);
    }
  });
  const needed = Math.min(size, maxMessages);
  if (rows.length < needed) fail(`has ${rows.length} rows but this window needs the last ${needed} (taken with a smaller maxMessages?)`);
  return rows.slice(rows.length - needed);
}

/**
 * An analyzer that is fed a conversation one row (or a few) at a time, for live traffic where each call
 * repeats the conversation so far: append only the new rows, then `report()`. With `snapshot`, it resumes
 * where the analyzer that took it stopped (the options should be the same).
 */
export function createAnalyzer(options?: AnalyzeOptions, snapshot?: AnalyzerSnapshot): Analyzer {
  const settings = resolveOptions(options);
  let state: WindowState;
  if (snapshot === undefined) {
    state = new WindowState(settings, 0, true);
  } else {
    const rows = windowOf(snapshot, settings.maxMessages);
    state = new WindowState(settings, snapshot.size - rows.length, true);
    for (const row of rows) state.push(row);
  }
  return {
    append(messages) {
      if (Array.isArray(messages)) for (const m of messages) state.push(m);
      else state.push(messages);
    },
    report: () => state.report(),
    snapshot: () => ({ version: 1, size: state.total, rows: state.rows() }),
    get size() {
      return state.total;
    },
  };
}
