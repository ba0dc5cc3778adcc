import type { SignalDefinition } from './definition.js';
import { labelNames } from './definition.js';
import type { Verdict } from './types.js';

/**
 * How a signal's verdicts are compared with a `meta` field. Binary signals compare with booleans
 * (true = yes). A labels signal compares with strings, or with booleans through `positive`: the labels that
 * mean "true" (task outcome against `meta.success`: completed = true, partial/failed/abandoned = false).
 */
export interface LabelMapping {
  labels: string[];
  expected(value: unknown): string | undefined;
  verdict(v: Verdict): Verdict;
}

const bool = (value: unknown): boolean | undefined =>
  value === true || value === 'true' || value === 1 ? true : value === false || value === 'false' || value === 0 ? false : undefined;

/** The mapping for a definition; `positive` is required for a labels signal compared with booleans. */
export function labelMapping(definition: SignalDefinition, positive?: readonly string[]): LabelMapping {
  if (definition.type === 'binary') {
    return { labels: ['yes', 'no'], expected: (v) => (bool(v) === undefined ? undefined : bool(v) ? 'yes' : 'no'), verdict: (v) => v };
  }
  const names = labelNames(definition);
  if (!positive || positive.length === 0) {
    return { labels: names, expected: (v) => (typeof v === 'string' && v !== '' ? v : undefined), verdict: (v) => v };
  }
  for (const p of positive) if (!names.includes(p)) throw new Error(`--positive: "${p}" is not a label of ${definition.name} (${names.join(', ')})`);
  const yes = positive.join('|');
  const no = `not ${yes}`;
  return {
    labels: [yes, no],
    expected: (v) => (bool(v) === undefined ? undefined : bool(v) ? yes : no),
    verdict: (v) => (v.status === 'labelled' && v.label !== null ? { ...v, label: positive.includes(v.label) ? yes : no } : v),
  };
}
