/**
 * Triage: choose the conversations worth a reviewer's time and measure how well that choice finds
 * failures. Pure TypeScript without Node APIs, so it runs in workers and at the edge.
 */
export { presentCategories, ROW_CATEGORIES, triageFeatures, TRIAGE_CATEGORIES, type ReportLike, type TriageCategory, type TriageFeatures } from './features.js';
export { PROFILES, REFERENCE_PROFILE, REVIEW_PROFILE, withWeights, type TriageProfile } from './profiles.js';
export { scoreFeatures, triageScore, type TriageScore } from './score.js';
export { fnv1a64, hashUnit, idKey, TIE_SEED, type Hash64 } from './hash.js';
export { BudgetSampler, type Candidate, type SamplerOptions, type Selection } from './sampler.js';
export { keepAtRate, parseRate, rateDecision, RATE_PRESETS, type RateOptions } from './rate.js';
export { auroc, bootstrapPrecision, budgetSize, precisionAtK, randomPrecisionInterval, type Interval } from './metrics.js';
export {
  evaluate,
  evaluateGroup,
  type CurvePoint,
  type EvalFigures,
  type EvalReport,
  type EvalRow,
  type SignalTypeRow,
} from './evaluate.js';
export { signalTypesOf, triageInputs, type TriageInput } from './inputs.js';
export { formatEvalTable } from './eval-table.js';
export { precisionChartSvg } from './chart.js';
