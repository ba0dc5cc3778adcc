import { coerceRow } from './conversation.js';
import { createAnalyzer, type Analyzer } from './incremental.js';
import { resolveOptions } from './options.js';
import type { AnalyzeOptions, Message, SignalReport } from './types.js';

/** Bounds of an {@link AnalyzerCache}. */
export interface AnalyzerCacheOptions {
  /** Conversations kept; the least recently used goes first (default 1000). */
  maxConversations?: number;
  /** A conversation not seen for this long is dropped (default 30 minutes). */
  idleMs?: number;
  /** Clock in milliseconds (default `Date.now`); tests pass their own. */
  now?: () => number;
}

/** What the cache has done, for monitoring and tests. */
export interface AnalyzerCacheStats {
  /** Rows appended to analyzers, over all calls. */
  appended: number;
  /** Calls whose rows did not extend what the conversation's analyzer had seen, so it started over. */
  restarts: number;
  /** Conversations dropped for size or idleness. */
  evicted: number;
}

interface Entry {
  analyzer: Analyzer;
  seen: number;
}

/**
 * One incremental analyzer per conversation id, for traffic where each LLM call repeats the conversation so
 * far (OTel spans, trace files): `report(id, rows)` appends only the rows after those already seen, so a
 * conversation of n calls costs O(n) analysis instead of O(n²). The report is always `analyze(rows, options)`:
 * the rows the analyzer already holds (its window, which is all the report depends on) are compared with the
 * start of `rows`, and on any difference it starts over from `rows`. Evicts by LRU and idle time.
 */
export class AnalyzerCache {
  readonly #options: AnalyzeOptions | undefined;
  readonly #max: number;
  readonly #idleMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly stats: AnalyzerCacheStats = { appended: 0, restarts: 0, evicted: 0 };

  constructor(analyzeOptions?: AnalyzeOptions, options: AnalyzerCacheOptions = {}) {
    resolveOptions(analyzeOptions); // fail at construction on bad options, not on the first call
    this.#options = analyzeOptions;
    this.#max = options.maxConversations ?? 1000;
    this.#idleMs = options.idleMs ?? 30 * 60_000;
    this.#now = options.now ?? Date.now;
    if (!(this.#max >= 1)) throw new TypeError(`AnalyzerCache: maxConversations must be at least 1, got ${String(options.maxConversations)}`);
    if (!(this.#idleMs > 0)) throw new TypeError(`AnalyzerCache: idleMs must be positive, got ${String(options.idleMs)}`);
  }

  /** Conversations held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The report of `messages`, the whole conversation `id` so far. */
  report(id: string, messages: readonly Message[]): SignalReport {
    if (!Array.isArray(messages)) throw new TypeError('AnalyzerCache.report: messages must be an array of {from, value} rows');
    const now = this.#now();
    this.#evictIdle(now);
    let entry = this.#entries.get(id);
    if (entry) this.#entries.delete(id);
    if (entry && !continues(entry.analyzer, messages)) {
      this.stats.restarts++;
      entry = undefined;
    }
    entry ??= { analyzer: createAnalyzer(this.#options), seen: now };
    entry.seen = now;
    const appended = messages.length - entry.analyzer.size;
    entry.analyzer.append(messages.slice(entry.analyzer.size));
    this.stats.appended += appended;
    this.#entries.set(id, entry);
    if (this.#entries.size > this.#max) this.#evictOldest();
    return entry.analyzer.report();
  }

  /**
   * For a caller that knows `rows` continue the conversation (e.g. it compared the raw text of two calls): if
   * conversation `id` holds exactly `size` rows, appends `rows` and reports; otherwise returns undefined and the
   * caller falls back to {@link report} with the whole conversation.
   */
  appendTo(id: string, size: number, rows: readonly Message[]): SignalReport | undefined {
    const now = this.#now();
    this.#evictIdle(now);
    const entry = this.#entries.get(id);
    if (!entry || entry.analyzer.size !== size) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    entry.seen = now;
    entry.analyzer.append(rows);
    this.stats.appended += rows.length;
    return entry.analyzer.report();
  }

  /** Forgets conversation `id` (e.g. when it ends). */
  delete(id: string): boolean {
    return this.#entries.delete(id);
  }

  /** Forgets every conversation. */
  clear(): void {
    this.#entries.clear();
  }

  #evictOldest(): void {
    const oldest = this.#entries.keys().next();
    if (!oldest.done) {
      this.#entries.delete(oldest.value);
      this.stats.evicted++;
    }
  }

  /** Map order is use order, so the idle ones are at the front. */
  #evictIdle(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now - entry.seen < this.#idleMs) return;
      this.#entries.delete(id);
      this.stats.evicted++;
    }
  }
}

/** Whether `messages` continue the rows the analyzer holds: the same window at the same position. */
function continues(analyzer: Analyzer, messages: readonly Message[]): boolean {
  if (messages.length < analyzer.size) return false;
  const { rows } = analyzer.snapshot();
  const start = analyzer.size - rows.length;
  return rows.every((row, i) => {
    const other = coerceRow(messages[start + i]);
    return other.from === row.from && other.value === row.value;
  });
}
