import { jsonEqual } from './json.js';
import type { ToolCall } from './tool-call.js';
import type { Conversation } from './conversation.js';
import type { Signal } from './types.js';

interface Run {
  start: number;
  end: number;
  name: string;
}

/** Equal arguments: structurally for two argument objects, else as exact strings (spec §9.1). */
export function argsEqual(a: ToolCall, b: ToolCall): boolean {
  return a.argsDict && b.argsDict ? jsonEqual(a.argsDict, b.argsDict) : a.args === b.args;
}

/**
 * Runs of consecutive calls that continue while `same(first, next)` holds, scanned as the reference
 * does: a kept run resumes after itself, a rejected one at the next call. `skipRejected` resumes after a
 * rejected run instead, which gives the same result when every later start inside it would be rejected
 * too (true for name-only runs) and keeps long runs linear.
 */
function runsOf(
  calls: ToolCall[],
  same: (first: ToolCall, next: ToolCall) => boolean,
  keep: (run: ToolCall[]) => boolean,
  skipRejected: boolean,
): ToolCall[][] {
  const runs: ToolCall[][] = [];
  let i = 0;
  while (i < calls.length) {
    let j = i + 1;
    while (j < calls.length && same(calls[i], calls[j])) j++;
    const run = calls.slice(i, j);
    if (keep(run)) {
      runs.push(run);
      i = j;
    } else {
      i = skipRejected ? j : i + 1;
    }
  }
  return runs;
}

interface Oscillation extends Run {
  names: string[];
  cycles: number;
}

function findOscillations(calls: ToolCall[]): Oscillation[] {
  const found: Oscillation[] = [];
  const count = calls.length;
  let i = 0;
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
        const endCall = i + cycles * length - 1;
        found.push({ start: calls[i].index, end: calls[endCall].index, name: names[0], names, cycles });
        i = endCall + 1 - length;
        advanced = true;
        break;
      }
    }
    if (!advanced) i++;
  }
  if (found.length <= 1) return found;
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: Oscillation[] = [];
  let lastEnd = -1;
  for (const o of sorted) {
    if (o.start > lastEnd) {
      kept.push(o);
      lastEnd = o.end;
    }
  }
  return kept;
}

/** Retries with identical arguments, drifting arguments and oscillation between tools (spec §9). */
export function detectLoops(conversation: Conversation): Signal[] {
  const calls = conversation.calls;
  if (calls.length < 3) return [];
  const signals: Signal[] = [];
  const retries = runsOf(calls, (a, b) => a.name === b.name && argsEqual(b, a), (run) => run.length >= 3, false);
  for (const run of retries) {
    const start = run[0].index;
    const end = run[run.length - 1].index;
    // The run's calls are exactly the calls whose index lies in [start, end].
    const n = run.length;
    signals.push({
      signal_type: 'execution.loops.retry',
      message_index: start,
      snippet: `Tool '${run[0].name}' called ${n} times with identical arguments`,
      confidence: Math.fround(0.95),
      metadata: { tool_name: run[0].name, start_index: start, end_index: end, call_count: n, loop_type: 'retry' },
    });
  }
  const drifts = runsOf(calls, (a, b) => a.name === b.name, (run) => run.length >= 3 && new Set(run.map((c) => c.args)).size >= 2, true);
  for (const run of drifts) {
    const start = run[0].index;
    const end = run[run.length - 1].index;
    if (retries.some((r) => start <= r[r.length - 1].index && r[0].index <= end)) continue;
    const n = run.length;
    const variations = new Set(run.map((c) => c.args)).size;
    signals.push({
      signal_type: 'execution.loops.parameter_drift',
      message_index: start,
      snippet: `Tool '${run[0].name}' called ${n} times with ${variations} different argument variations`,
      confidence: Math.fround(0.85),
      metadata: { tool_name: run[0].name, start_index: start, end_index: end, call_count: n, variation_count: variations, loop_type: 'parameter_drift' },
    });
  }
  for (const o of findOscillations(calls)) {
    signals.push({
      signal_type: 'execution.loops.oscillation',
      message_index: o.start,
      snippet: `Oscillation pattern [${o.names.join(' → ')}] repeated ${o.cycles} times`,
      confidence: Math.fround(0.9),
      metadata: { pattern: o.names, start_index: o.start, end_index: o.end, cycle_count: o.cycles, loop_type: 'oscillation' },
    });
  }
  return signals;
}
