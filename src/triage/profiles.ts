import type { TriageCategory } from './features.js';

/** A named, plain-data scoring profile: the score is the weighted sum of the triage features. */
export interface TriageProfile {
  name: string;
  weights: Readonly<Record<TriageCategory, number>>;
}

const NONE: Record<TriageCategory, number> = {
  verbosity: 0,
  tool_errors: 0,
  pushback: 0,
  unfinished: 0,
  escalation: 0,
  stagnation: 0,
  loops: 0,
  failure: 0,
  exhaustion: 0,
  misalignment: 0,
  disengagement: 0,
  quality: 0,
  signals: 0,
};

/**
 * `review`: which conversations most likely failed. Few features, round weights, each chosen on the
 * shared dev files (tau-bench, tau2-bench, MINT) only where it pointed the same way on every source:
 * - verbosity 1: agents that had to say a lot were explaining, re-listing and retrying; the log keeps
 *   a 20k-character chat from outweighing everything else (alone: AUROC ≈ 0.69 / 0.65 / 0.77).
 * - tool_errors 1 per errored observation: a tool said no and the agent had to recover.
 * - pushback 1 per user turn saying "wrong" / "still" / "not working": the user saw the answer fail.
 * - unfinished 1: ending on a pending tool call means the run was cut off.
 * - stagnation, loops 0.5: the reference's repetition and tool-loop detectors; weaker alone, and they
 *   overlap with verbosity.
 * - failure, exhaustion 0.5: the reference's structured tool/environment failures, overlapping tool_errors.
 * - escalation 0: a hand-off is often the correct outcome (on tau-bench it marks success), so it is
 *   surfaced by a quota (`--quota escalation=N`), not by the score.
 * - misalignment, disengagement, quality 0: inconsistent direction across the dev sources.
 */
export const REVIEW_PROFILE: TriageProfile = {
  name: 'review',
  weights: {
    ...NONE,
    verbosity: 1,
    tool_errors: 1,
    pushback: 1,
    unfinished: 1,
    stagnation: 0.5,
    loops: 0.5,
    failure: 0.5,
    exhaustion: 0.5,
  },
};

/**
 * `reference`: the baseline — the reference's `overall_quality` (severe first) with ties broken by
 * the number of signals. Signal counts stay far below 1e6, so the bucket always dominates.
 */
export const REFERENCE_PROFILE: TriageProfile = {
  name: 'reference',
  weights: { ...NONE, quality: 1e6, signals: 1 },
};

/** Profiles by name, for `--profile NAME`. */
export const PROFILES: Readonly<Record<string, TriageProfile>> = {
  review: REVIEW_PROFILE,
  reference: REFERENCE_PROFILE,
};

/** A copy of `profile` with some weights replaced (e.g. from `--weight loops=2`). */
export function withWeights(
  profile: TriageProfile,
  overrides: Readonly<Partial<Record<TriageCategory, number>>>,
): TriageProfile {
  return { name: profile.name, weights: { ...profile.weights, ...overrides } };
}
