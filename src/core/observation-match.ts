import { contextSnippet } from './snippet.js';
import type { RegexFamily } from './regex-family.js';
import type { Observation } from './conversation.js';

/** The first family (in priority order) that matches an observation, with the snippet and matched text. */
export function matchFirstFamily<K extends { family: RegexFamily }>(
  observation: Observation,
  kinds: readonly K[],
  contextBytes: number,
): { kind: K; snippet: string; matched: string } | undefined {
  for (const kind of kinds) {
    const match = kind.family.find(observation.folded, observation.literals);
    if (!match) continue;
    return {
      kind,
      snippet: contextSnippet(observation.value, observation.lower, match.start, match.end, contextBytes),
      matched: observation.lower.slice(match.start, match.end),
    };
  }
  return undefined;
}
