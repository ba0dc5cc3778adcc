import { resolveOptions } from './options.js';
import { WindowState } from './window.js';
import type { AnalyzeOptions, Message, SignalReport } from './types.js';

/**
 * Scores one conversation of ShareGPT rows and reports its signals, exactly as the reference analyzer
 * does. Cost is linear in the size of the window (the last `maxMessages` rows). Rows that are not objects, or
 * whose `from`/`value` are not strings, read as empty strings rather than throwing.
 */
export function analyze(messages: readonly Message[], options?: AnalyzeOptions): SignalReport {
  if (!Array.isArray(messages)) throw new TypeError('analyze: messages must be an array of {from, value} rows');
  const settings = resolveOptions(options);
  const offset = messages.length > settings.maxMessages ? messages.length - settings.maxMessages : 0;
  const state = new WindowState(settings, offset, false);
  for (let i = offset; i < messages.length; i++) state.push(messages[i]);
  return state.report();
}
