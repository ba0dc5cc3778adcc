import type { Message } from '../../core/types.js';

/** Work counters of a merge, so tests can prove it linear without timing it. */
export interface MergeStats {
  /** Comparisons of message keys made while finding overlaps. */
  steps: number;
}

/**
 * Length of the longest suffix of `history` equal to a prefix of `next`, with KMP over integer keys: O(|next|)
 * whatever the history length, because only the last |next| keys of the history can take part in an overlap.
 */
export function overlapLength(history: readonly number[], next: readonly number[], stats: MergeStats): number {
  const length = Math.min(history.length, next.length);
  if (length === 0) return 0;
  const fail = new Int32Array(length);
  for (let i = 1, k = 0; i < length; i++) {
    while (k > 0 && next[i] !== next[k]) {
      k = fail[k - 1];
      stats.steps++;
    }
    stats.steps++;
    if (next[i] === next[k]) k++;
    fail[i] = k;
  }
  let matched = 0;
  for (let i = history.length - length; i < history.length; i++) {
    while (matched > 0 && history[i] !== next[matched]) {
      matched = fail[matched - 1];
      stats.steps++;
    }
    stats.steps++;
    if (history[i] === next[matched]) matched++;
    // The text is exactly `length` keys long, so a full match can only happen on its last key.
  }
  return matched;
}

/** Compact canonical JSON of a tool call's arguments, so `{"a": 1}` and `{"a":1}` are the same call. */
function canonicalCall(value: string): string {
  try {
    const call = JSON.parse(value) as { name: string; arguments: string };
    let args = call.arguments;
    try {
      args = JSON.stringify(JSON.parse(args));
    } catch {
      // Arguments that are not JSON are compared as written.
    }
    return `${call.name}\u0000${args}`;
  } catch {
    return value;
  }
}

/**
 * The conversation of many spans, built one span at a time. Each LLM call's input repeats the history so far, so
 * only what it adds after the longest overlap is appended (a full prefix usually, a partial one when a framework
 * trims old turns, none when it sends only new messages). A tool span adds its result after the matching pending
 * call when the model's output already holds that call. Every row gets an integer key (from, canonical value),
 * so merging is linear in the total number of rows.
 */
export class HistoryMerger {
  readonly rows: Message[] = [];
  readonly stats: MergeStats = { steps: 0 };
  private readonly keys: number[] = [];
  private readonly ids = new Map<string, number>();
  /** Keys of tool calls since the last human/gpt row that no observation answered yet, oldest first. */
  private pending: number[] = [];

  private keyOf(row: Message): number {
    const text = `${row.from}\u0001${row.from === 'function_call' ? canonicalCall(row.value) : row.value}`;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(text, id);
    }
    return id;
  }

  private push(row: Message, key: number): void {
    this.rows.push(row);
    this.keys.push(key);
    if (row.from === 'function_call') this.pending.push(key);
    else if (row.from === 'observation') this.pending.shift();
    else if (row.from === 'human' || row.from === 'gpt') this.pending.length = 0;
  }

  /** Appends an LLM call's rows (its input then its output) after their overlap with the history. */
  addCall(rows: readonly Message[]): void {
    const keys = rows.map((row) => this.keyOf(row));
    const shared = overlapLength(this.keys, keys, this.stats);
    for (let i = shared; i < rows.length; i++) this.push(rows[i], keys[i]);
  }

  /** Appends a tool run (`function_call` then `observation` rows): only the result when the call is pending. */
  addToolRun(rows: readonly Message[]): void {
    const keys = rows.map((row) => this.keyOf(row));
    const at = rows.length > 0 && rows[0].from === 'function_call' ? this.pending.indexOf(keys[0]) : -1;
    if (at === -1) {
      for (let i = 0; i < rows.length; i++) this.push(rows[i], keys[i]);
      return;
    }
    // The call is already in the history: answer it, keeping the other pending calls in order.
    this.pending.splice(at, 1);
    for (let i = 1; i < rows.length; i++) {
      this.rows.push(rows[i]);
      this.keys.push(keys[i]);
    }
  }
}
