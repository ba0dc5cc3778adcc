import type { Message } from '../../core/types.js';
import { appendAll } from '../append-all.js';

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
 * The conversation of many LLM calls, built one call at a time. Each call's input repeats the history so far, so
 * only what it adds after the longest overlap is appended (a full prefix usually, a partial one when a framework
 * trims old turns, none when it sends only new messages). Every row gets an integer key (from, canonical value),
 * so merging is linear in the total number of rows. Tool spans are not merged here (see {@link placeToolRuns}):
 * the model's own history is what it saw, so a tool span's wording never decides what repeats.
 */
export class HistoryMerger {
  readonly rows: Message[] = [];
  /** The tool call id of each row: a call's id on `function_call` rows, the answered id on `observation` rows, else ''. */
  readonly callIds: string[] = [];
  readonly stats: MergeStats = { steps: 0 };
  private readonly keys: number[] = [];
  private readonly ids = new Map<string, number>();
  /** Keys by row object: calls that share their history's row objects key each row once. */
  private readonly rowIds = new Map<Message, number>();

  private keyOf(row: Message): number {
    const known = this.rowIds.get(row);
    if (known !== undefined) return known;
    const text = `${row.from}\u0001${row.from === 'function_call' ? canonicalCall(row.value) : row.value}`;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(text, id);
    }
    this.rowIds.set(row, id);
    return id;
  }

  /** Appends an LLM call's rows (its input then its output) after their overlap with the history. */
  addCall(rows: readonly Message[], callIds: readonly string[] = []): void {
    const keys = rows.map((row) => this.keyOf(row));
    const shared = overlapLength(this.keys, keys, this.stats);
    for (let i = shared; i < rows.length; i++) {
      this.rows.push(rows[i]);
      this.keys.push(keys[i]);
      this.callIds.push(callIds[i] ?? '');
    }
  }
}

/** One tool span as a run: the call it made, its result, and where it goes if no model call asked for it. */
export interface ToolRun {
  /** The `function_call` row the tool span describes (its arguments may not be the model's). */
  call: Message;
  /** The `observation` row: the tool's result, or the error it raised. */
  result: Message;
  /** The tool call id the span carries, '' when none. */
  callId: string;
  /** History index before which the run goes when it answers no call of the history (its place in time). */
  at: number;
}

function callName(row: Message): string {
  try {
    const name = (JSON.parse(row.value) as { name?: unknown }).name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

interface HistoryCall {
  index: number;
  name: string;
  id: string;
  answered: boolean;
  /** Where a result for it goes: after its block of calls and results, before the next human or assistant text. */
  blockEnd: number;
}

/** The tool calls of a merged history, whether a result follows each, and where each block of calls ends. */
function historyCalls(rows: readonly Message[], callIds: readonly string[]): HistoryCall[] {
  const calls: HistoryCall[] = [];
  let open: HistoryCall[] = [];
  let block: HistoryCall[] = [];
  const closeBlock = (end: number) => {
    for (const call of block) call.blockEnd = end;
    block = [];
    open = [];
  };
  rows.forEach((row, i) => {
    if (row.from === 'function_call') {
      const call = { index: i, name: callName(row), id: callIds[i] ?? '', answered: false, blockEnd: rows.length };
      calls.push(call);
      open.push(call);
      block.push(call);
    } else if (row.from === 'observation') {
      const id = callIds[i] ?? '';
      const at = id === '' ? -1 : open.findIndex((call) => call.id === id);
      const answered = open.splice(at === -1 ? 0 : at, 1)[0];
      if (answered !== undefined) answered.answered = true;
    } else if (row.from === 'human' || row.from === 'gpt') closeBlock(i);
  });
  closeBlock(rows.length);
  return calls;
}

/**
 * Merged model history + tool spans → the conversation. Each tool span is matched to a call the model made: by
 * call id, else by tool name and position (the k-th span of a tool answers the k-th call of it). A matched call that
 * the history already answers keeps the model's view of the result; an unanswered one gets the span's result after
 * its block of calls (the arguments stay the model's). A span that matches no call is a run of its own at its place
 * in time. Linear in rows and runs (apart from the name lookups per tool name).
 */
export function placeToolRuns(rows: readonly Message[], callIds: readonly string[], runs: readonly ToolRun[]): Message[] {
  if (runs.length === 0) return [...rows];
  const calls = historyCalls(rows, callIds);
  const byId = new Map<string, HistoryCall>();
  for (const call of calls) if (call.id !== '' && !byId.has(call.id)) byId.set(call.id, call);
  const taken = new Set<HistoryCall>();
  const matchOf = new Map<ToolRun, HistoryCall>();
  for (const run of runs) {
    const call = run.callId === '' ? undefined : byId.get(run.callId);
    if (call !== undefined && !taken.has(call)) {
      taken.add(call);
      matchOf.set(run, call);
    }
  }
  // By name and position: each name's calls in history order, consumed by that name's spans in their order.
  const byName = new Map<string, HistoryCall[]>();
  for (const call of calls) {
    if (taken.has(call)) continue;
    const list = byName.get(call.name);
    if (list === undefined) byName.set(call.name, [call]);
    else list.push(call);
  }
  const cursor = new Map<HistoryCall[], number>();
  for (const run of runs) {
    if (matchOf.has(run)) continue;
    const list = byName.get(callName(run.call));
    const call = list?.[cursor.get(list) ?? 0];
    if (list !== undefined) cursor.set(list, (cursor.get(list) ?? 0) + 1);
    if (call !== undefined) matchOf.set(run, call);
  }
  const inserts = new Map<number, Array<{ order: number; rows: Message[] }>>();
  const insert = (at: number, order: number, added: Message[]) => {
    const list = inserts.get(at) ?? [];
    list.push({ order, rows: added });
    inserts.set(at, list);
  };
  runs.forEach((run, i) => {
    const call = matchOf.get(run);
    if (call === undefined) insert(Math.max(0, Math.min(run.at, rows.length)), rows.length + i, [run.call, run.result]);
    else if (!call.answered) insert(call.blockEnd, call.index, [run.result]);
  });
  const out: Message[] = [];
  for (let i = 0; i <= rows.length; i++) {
    const here = inserts.get(i);
    // Results of a block's calls in call order, then runs of their own in span order.
    if (here !== undefined) for (const entry of here.sort((a, b) => a.order - b.order)) appendAll(out, entry.rows);
    if (i < rows.length) out.push(rows[i]);
  }
  return out;
}
