import type { AnalyzeOptions } from './types.js';

/** Every knob with its reference default; ratio thresholds are f32 as in the reference (spec §2.7). */
export interface Settings {
  maxMessages: number;
  maxMessageLength: number;
  baselineTurns: number;
  charNgramThreshold: number;
  tokenCosineThreshold: number;
  exactRepetitionThreshold: number;
  nearDuplicateThreshold: number;
  repetitionLookback: number;
  rephraseMaxDistance: number;
  rephraseOverlapThreshold: number;
  rephraseMinMeaningfulTokens: number;
  rephraseMaxNewContentRatio: number;
  capsMinLetters: number;
  capsRatioThreshold: number;
  misalignmentRatioThreshold: number;
  snippetContextBytes: number;
}

/** The reference defaults, as given in the spec. */
export const DEFAULT_OPTIONS: Readonly<Required<AnalyzeOptions>> = Object.freeze({
  maxMessages: 100,
  maxMessageLength: 2000,
  baselineTurns: 5,
  charNgramThreshold: 0.65,
  tokenCosineThreshold: 0.6,
  exactRepetitionThreshold: 0.95,
  nearDuplicateThreshold: 0.85,
  repetitionLookback: 2,
  rephraseMaxDistance: 3,
  rephraseOverlapThreshold: 0.75,
  rephraseMinMeaningfulTokens: 4,
  rephraseMaxNewContentRatio: 0.5,
  capsMinLetters: 10,
  capsRatioThreshold: 0.8,
  misalignmentRatioThreshold: 0.3,
  snippetContextBytes: 50,
});

const F32_KEYS = [
  'charNgramThreshold',
  'tokenCosineThreshold',
  'exactRepetitionThreshold',
  'nearDuplicateThreshold',
  'rephraseOverlapThreshold',
  'rephraseMaxNewContentRatio',
  'capsRatioThreshold',
  'misalignmentRatioThreshold',
] as const;

let defaults: Settings | undefined;

/** Merges user options over the defaults, validating them, and rounds the ratio thresholds to f32. */
export function resolveOptions(options: AnalyzeOptions | undefined): Settings {
  if (options === undefined && defaults) return defaults;
  const merged = { ...DEFAULT_OPTIONS } as Settings;
  for (const [key, value] of Object.entries(options ?? {}) as [keyof Settings, unknown][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_OPTIONS)) throw new TypeError(`unknown option "${key}"`);
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new TypeError(`option "${key}" must be a non-negative number, got ${String(value)}`);
    }
    merged[key] = value;
  }
  if (merged.maxMessages < 1) throw new TypeError('option "maxMessages" must be at least 1');
  if (merged.maxMessageLength < 1) throw new TypeError('option "maxMessageLength" must be at least 1');
  for (const key of F32_KEYS) merged[key] = Math.fround(merged[key]);
  if (options === undefined) defaults = merged;
  return merged;
}
