import { analyze } from '../../core/analyze.js';
import type { Message, SignalReport } from '../../core/types.js';
import type { Target } from '../types.js';

/** Who wrote a message, in the terms conditions use. */
export type Role = 'user' | 'assistant' | 'tool' | 'system';

/** The role of one core row: `human` → user, `gpt`/`function_call` → assistant, `observation` → tool. */
export function roleOf(message: Message): Role {
  switch (message.from) {
    case 'human':
    case 'user':
      return 'user';
    case 'gpt':
    case 'assistant':
    case 'function_call':
      return 'assistant';
    case 'observation':
    case 'tool':
    case 'function':
      return 'tool';
    default:
      return 'system';
  }
}

/** The target's built-in report, computed once and kept on the target. */
export function reportOf(target: Target): SignalReport {
  target.report ??= analyze(target.messages);
  return target.report;
}

/** Every signal of a report, flattened. */
export function reportSignals(report: SignalReport): { type: string; index: number; snippet: string }[] {
  const out: { type: string; index: number; snippet: string }[] = [];
  for (const layer of [report.interaction_signals, report.execution_signals, report.environment_signals]) {
    for (const group of Object.values(layer)) {
      for (const s of group.signals) out.push({ type: s.signal_type, index: s.message_index, snippet: s.snippet });
    }
  }
  return out;
}

/** `interaction.disengagement.*` style glob over signal types (only `*` is special). */
export function globMatcher(glob: string): (value: string) => boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return (v) => v === glob;
  return (v) => {
    if (!v.startsWith(parts[0])) return false;
    let at = parts[0].length;
    for (let k = 1; k < parts.length - 1; k++) {
      const found = v.indexOf(parts[k], at);
      if (found < 0) return false;
      at = found + parts[k].length;
    }
    const last = parts[parts.length - 1];
    return v.length - last.length >= at && v.endsWith(last);
  };
}

/** Rows the built-in detectors flag as a failed tool result (execution failure or environment exhaustion). */
export function toolErrorCount(report: SignalReport): number {
  const rows = new Set<number>();
  for (const s of reportSignals(report)) {
    if (s.type.startsWith('execution.failure.') || s.type.startsWith('environment.exhaustion.')) rows.add(s.index);
  }
  return rows.size;
}

/** True when the last non-system row is a tool call that no tool result answers. */
export function endsOnUnansweredToolCall(messages: readonly Message[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (roleOf(messages[i]) === 'system') continue;
    return messages[i].from === 'function_call';
  }
  return false;
}
