import type { Message, Signal, SignalReport } from '../../src/core/types.js';

/** Rows from `[from, value]` pairs, for compact test cases. */
export function rows(...pairs: [string, string][]): Message[] {
  return pairs.map(([from, value]) => ({ from, value }));
}

/** A function_call row value as in the ShareGPT corpus: `{"name", "arguments"}`. */
export function call(name: string, args: unknown): [string, string] {
  return ['function_call', JSON.stringify({ name, arguments: args })];
}

/** Every signal of a report, in report order. */
export function signalsOf(report: SignalReport): Signal[] {
  const r = report;
  return [
    r.interaction_signals.misalignment,
    r.interaction_signals.stagnation,
    r.interaction_signals.disengagement,
    r.interaction_signals.satisfaction,
    r.execution_signals.failure,
    r.execution_signals.loops,
    r.environment_signals.exhaustion,
  ].flatMap((g) => g.signals);
}

/** `type@index` of every signal, the compact form the tests compare. */
export function typesAt(report: SignalReport): string[] {
  return signalsOf(report).map((s) => `${s.signal_type}@${s.message_index}`);
}
