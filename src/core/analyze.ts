import { prepareConversation } from './conversation.js';
import { resolveOptions } from './options.js';
import { detectMisalignment } from './misalignment.js';
import { computeTurnMetrics, detectStagnation } from './stagnation.js';
import { detectDisengagement } from './disengagement.js';
import { detectSatisfaction } from './satisfaction.js';
import { detectFailure } from './failure.js';
import { detectLoops } from './loops.js';
import { detectExhaustion } from './exhaustion.js';
import { buildReport, groupOf } from './aggregate.js';
import type { AnalyzeOptions, Message, SignalReport } from './types.js';

/**
 * Scores one conversation of ShareGPT rows and reports its signals, exactly as the reference analyzer
 * does. Cost is linear in the size of the conversation. Rows that are not objects, or whose `from`/`value`
 * are not strings, read as empty strings rather than throwing.
 */
export function analyze(messages: readonly Message[], options?: AnalyzeOptions): SignalReport {
  if (!Array.isArray(messages)) throw new TypeError('analyze: messages must be an array of {from, value} rows');
  const settings = resolveOptions(options);
  const conversation = prepareConversation(messages, settings);
  const metrics = computeTurnMetrics(conversation, settings);
  return buildReport(
    {
      misalignment: groupOf('misalignment', detectMisalignment(conversation, settings)),
      stagnation: groupOf('stagnation', detectStagnation(conversation, metrics, settings)),
      disengagement: groupOf('disengagement', detectDisengagement(conversation, settings)),
      satisfaction: groupOf('satisfaction', detectSatisfaction(conversation)),
      failure: groupOf('failure', detectFailure(conversation, settings)),
      loops: groupOf('loops', detectLoops(conversation)),
      exhaustion: groupOf('exhaustion', detectExhaustion(conversation, settings)),
    },
    metrics,
    settings,
  );
}
