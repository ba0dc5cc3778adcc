import type { Message } from '../core/types.js';
import { TRIAGE_CATEGORIES, triageFeatures, type ReportLike, type TriageFeatures } from './features.js';
import { REVIEW_PROFILE, type TriageProfile } from './profiles.js';

/** How worth reviewing a conversation is (higher = review first) and which categories made it so. */
export interface TriageScore {
  score: number;
  /** `category=value` for each weighted category that contributed, largest contribution first. */
  reasons: string[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Scores already extracted features with a profile. */
export function scoreFeatures(features: TriageFeatures, profile: TriageProfile = REVIEW_PROFILE): TriageScore {
  let score = 0;
  const parts: { name: string; value: number; contribution: number }[] = [];
  for (const name of TRIAGE_CATEGORIES) {
    const contribution = profile.weights[name] * features[name];
    score += contribution;
    if (contribution > 0) parts.push({ name, value: features[name], contribution });
  }
  // Stable sort: equal contributions keep the category order.
  parts.sort((a, b) => b.contribution - a.contribution);
  return { score: round(score), reasons: parts.map((p) => `${p.name}=${round(p.value)}`) };
}

/**
 * The triage score of one conversation from its rows and its report (`messages` null when only the
 * report is known: row-based features then count as zero). The default report is untouched; this is opt-in.
 */
export function triageScore(
  messages: readonly Message[] | null,
  report: ReportLike,
  profile: TriageProfile = REVIEW_PROFILE,
): TriageScore {
  return scoreFeatures(triageFeatures(messages, report), profile);
}
