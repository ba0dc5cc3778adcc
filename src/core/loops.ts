import { jsonEqual } from './json.js';
import type { ToolCall } from './tool-call.js';
import type { Signal } from './types.js';

/** A run of calls, by the row indices of its first and last call. */
interface Run {
  start: number;
  end: number;
  name: string;
  count: number;
}

interface Drift extends Run {
  variations: number;
}

/** An oscillation as the reference's scan finds it. */
export interface Oscillation {
  start: number;
  end: number;
  names: string[];
  cycles: number;
}

/** Equal arguments: structurally for two argument objects, else as exact strings (spec §9.1). */
export function argsEqual(a: ToolCall, b: ToolCall): boolean {
  return a.argsDict && b.argsDict ? jsonEqual(a.argsDict, b.argsDict) : a.args === b.args;
}

/** Whether `next` continues a retry run that `first` starts: same tool, equal arguments. */
function continuesRetry(first: ToolCall, next: ToolCall): boolean {
  return first.name === next.name && argsEqual(next, first);
}

function oscillationAt(calls: readonly ToolCall[], i: number, length: number, cycles: number): Oscillation {
  const names = calls.slice(i, i + length).map((c) => c.name);
  return { start: calls[i].index, end: calls[i + cycles * length - 1].index, names, cycles };
}

/**
 * The reference's oscillation scan from call `from` to the end (spec §9.3): at each start, the shortest
 * pattern of 2–5 calls naming at least two tools that repeats 3+ times wins, and the scan resumes at its last
 * cycle. Overlaps are removed by the caller.
 */
export function scanOscillations(calls: readonly ToolCall[], from: number): Oscillation[] {
  const found: Oscillation[] = [];
  const count = calls.length;
  let i = from;
  while (i + 6 <= count) {
    let advanced = false;
    for (let length = 2; length <= Math.min(5, count - i); length++) {
      const names = calls.slice(i, i + length).map((c) => c.name);
      if (new Set(names).size < 2) continue;
      let cycles = 1;
      let pos = i + length;
      while (pos + length <= count && names.every((name, k) => calls[pos + k].name === name)) {
        cycles++;
        pos += length;
      }
      if (cycles >= 3) {
        found.push(oscillationAt(calls, i, length, cycles));
        i = i + (cycles - 1) * length;
        advanced = true;
        break;
      }
    }
    if (!advanced) i++;
  }
  return found;
}

/** How far the pattern of the first `length` calls from the scan start repeats. */
interface Tracker {
  length: number;
  /** Whether the pattern names two tools or more; known once its calls have arrived. */
  distinct: boolean;
  /** Calls after the first cycle that continue the pattern, up to the first one that breaks it. */
  matched: number;
  broken: boolean;
}

type Decision = { kind: 'pending' } | { kind: 'reject' } | { kind: 'accept'; length: number; cycles: number };

/**
 * The loop detector (spec §9) as a step function: `push` one call at a time (O(1) amortized), `signals()` at
 * any point equals the batch scan of the calls pushed so far. Each of the three scans of the reference is
 * greedy from the left, so what lies behind its current start is final; only the open run at the end is
 * tentative, and `signals()` settles it without changing the state.
 */
export class LoopScanner {
  readonly #calls: ToolCall[] = [];
  /** Start of the open retry run: every later call continues it. */
  #retryStart = 0;
  readonly #retries: Run[] = [];
  /** Start of the open same-name run and its distinct arguments. */
  #driftStart = 0;
  #driftArgs = new Set<string>();
  readonly #drifts: Drift[] = [];
  /** Where the oscillation scan stands, and what is known of each pattern length there. */
  #oscStart = 0;
  #trackers: Tracker[] = [];
  readonly #oscillations: Oscillation[] = [];

  /** Adds the next `function_call` row. */
  push(call: ToolCall): void {
    const n = this.#calls.length;
    this.#calls.push(call);
    if (n === 0) {
      this.#driftArgs.add(call.args);
      this.#resetOscillation(0);
      return;
    }
    this.#stepRetry(n);
    this.#stepDrift(n);
    this.#trackCall(n);
    this.#settleOscillations();
  }

  /** The loop signals of the calls pushed so far: retries, then parameter drifts, then oscillations. */
  signals(): Signal[] {
    const calls = this.#calls;
    if (calls.length < 3) return [];
    const retries = [...this.#retries];
    const openRetry = calls.length - this.#retryStart;
    if (openRetry >= 3) retries.push(this.#run(this.#retryStart, calls.length - 1));
    const drifts = [...this.#drifts];
    const openDrift = this.#driftRun(this.#driftStart, calls.length - 1, this.#driftArgs.size, retries);
    if (openDrift) drifts.push(openDrift);
    return [...retries.map(retrySignal), ...drifts.map(driftSignal), ...this.#finishOscillations().map(oscillationSignal)];
  }

  #run(first: number, last: number): Run {
    const calls = this.#calls;
    return { start: calls[first].index, end: calls[last].index, name: calls[first].name, count: last - first + 1 };
  }

  /** A same-name run of calls `first..last` if it is a drift: 3+ calls, 2+ argument variations, no retry inside. */
  #driftRun(first: number, last: number, variations: number, retries: readonly Run[]): Drift | undefined {
    if (last - first + 1 < 3 || variations < 2) return undefined;
    const run = this.#run(first, last);
    // Retries lie inside same-name runs and come in order, so only the last one can overlap this run.
    const latest = retries[retries.length - 1];
    if (latest && latest.end >= run.start) return undefined;
    return { ...run, variations };
  }

  /** Call `n` does not continue the open retry run: close it, rescan from the next start (at most 2 calls back). */
  #stepRetry(n: number): void {
    const calls = this.#calls;
    let i = this.#retryStart;
    if (continuesRetry(calls[i], calls[n])) return;
    let end = n;
    for (;;) {
      if (end - i >= 3) {
        this.#retries.push(this.#run(i, end - 1));
        i = end;
      } else {
        i++;
      }
      end = i + 1;
      while (end <= n && continuesRetry(calls[i], calls[end])) end++;
      if (end > n) break;
    }
    this.#retryStart = i;
  }

  #stepDrift(n: number): void {
    const calls = this.#calls;
    if (calls[this.#driftStart].name === calls[n].name) {
      this.#driftArgs.add(calls[n].args);
      return;
    }
    // Every retry run before call n is closed by now (call n has another name), so the overlap test is final.
    const drift = this.#driftRun(this.#driftStart, n - 1, this.#driftArgs.size, this.#retries);
    if (drift) this.#drifts.push(drift);
    this.#driftStart = n;
    this.#driftArgs = new Set([calls[n].args]);
  }

  #resetOscillation(start: number): void {
    this.#oscStart = start;
    this.#trackers = [2, 3, 4, 5].map((length) => ({ length, distinct: false, matched: 0, broken: false }));
    for (let n = start; n < this.#calls.length; n++) this.#trackCall(n);
  }

  #trackCall(n: number): void {
    const calls = this.#calls;
    const i = this.#oscStart;
    for (const t of this.#trackers) {
      const length = t.length;
      if (n < i + length) {
        if (n === i + length - 1) t.distinct = new Set(calls.slice(i, n + 1).map((c) => c.name)).size >= 2;
      } else if (!t.broken) {
        if (calls[n].name === calls[i + ((n - i - length) % length)].name) t.matched++;
        else t.broken = true;
      }
    }
  }

  /** The scan's decision at its current start: final unless `pending`; `settle` treats the calls so far as all. */
  #decide(settle: boolean): Decision {
    const available = this.#calls.length - this.#oscStart;
    for (const t of this.#trackers) {
      if (available < t.length) return settle ? { kind: 'reject' } : { kind: 'pending' };
      if (!t.distinct) continue;
      const cycles = 1 + Math.floor(t.matched / t.length);
      if (cycles >= 3) return settle || t.broken ? { kind: 'accept', length: t.length, cycles } : { kind: 'pending' };
      if (!settle && !t.broken) return { kind: 'pending' };
    }
    return { kind: 'reject' };
  }

  #keep(target: Oscillation[], found: Oscillation): void {
    const last = target[target.length - 1] ?? this.#oscillations[this.#oscillations.length - 1];
    if (!last || found.start > last.end) target.push(found);
  }

  /** Moves the scan on while its decision is final; the rescan after each move covers at most 15 calls. */
  #settleOscillations(): void {
    for (;;) {
      const decision = this.#decide(false);
      if (decision.kind === 'pending') return;
      const i = this.#oscStart;
      if (decision.kind === 'accept') {
        this.#keep(this.#oscillations, oscillationAt(this.#calls, i, decision.length, decision.cycles));
        this.#resetOscillation(i + (decision.cycles - 1) * decision.length);
      } else {
        this.#resetOscillation(i + 1);
      }
    }
  }

  /** The kept oscillations if the calls ended here: the open decision from the trackers, the short rest by the plain scan. */
  #finishOscillations(): Oscillation[] {
    const i = this.#oscStart;
    const open: Oscillation[] = [];
    const decision = this.#decide(true);
    let rest = i + 1;
    if (decision.kind === 'accept') {
      open.push(oscillationAt(this.#calls, i, decision.length, decision.cycles));
      rest = i + (decision.cycles - 1) * decision.length;
    }
    open.push(...scanOscillations(this.#calls, rest));
    const kept: Oscillation[] = [];
    for (const o of open) this.#keep(kept, o);
    return [...this.#oscillations, ...kept];
  }
}

function retrySignal(run: Run): Signal {
  return {
    signal_type: 'execution.loops.retry',
    message_index: run.start,
    snippet: `Tool '${run.name}' called ${run.count} times with identical arguments`,
    confidence: Math.fround(0.95),
    metadata: { tool_name: run.name, start_index: run.start, end_index: run.end, call_count: run.count, loop_type: 'retry' },
  };
}

function driftSignal(run: Drift): Signal {
  return {
    signal_type: 'execution.loops.parameter_drift',
    message_index: run.start,
    snippet: `Tool '${run.name}' called ${run.count} times with ${run.variations} different argument variations`,
    confidence: Math.fround(0.85),
    metadata: {
      tool_name: run.name,
      start_index: run.start,
      end_index: run.end,
      call_count: run.count,
      variation_count: run.variations,
      loop_type: 'parameter_drift',
    },
  };
}

function oscillationSignal(o: Oscillation): Signal {
  return {
    signal_type: 'execution.loops.oscillation',
    message_index: o.start,
    snippet: `Oscillation pattern [${o.names.join(' → ')}] repeated ${o.cycles} times`,
    confidence: Math.fround(0.9),
    metadata: { pattern: o.names, start_index: o.start, end_index: o.end, cycle_count: o.cycles, loop_type: 'oscillation' },
  };
}
