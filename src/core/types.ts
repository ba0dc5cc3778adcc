/** One ShareGPT-style row. `from` is `human`, `gpt`, `function_call`, `observation` or anything else (ignored but indexed). */
export interface Message {
  from: string;
  value: string;
}

/** The three layers of the report, as JSON keys. */
export type Layer = 'interaction' | 'execution' | 'environment';

/** The seven signal groups. */
export type Category =
  | 'misalignment'
  | 'stagnation'
  | 'disengagement'
  | 'satisfaction'
  | 'failure'
  | 'loops'
  | 'exhaustion';

/** The 25 leaf signal types of the reference. */
export type SignalType =
  | 'interaction.misalignment.correction'
  | 'interaction.misalignment.rephrase'
  | 'interaction.misalignment.clarification'
  | 'interaction.stagnation.dragging'
  | 'interaction.stagnation.repetition'
  | 'interaction.disengagement.escalation'
  | 'interaction.disengagement.quit'
  | 'interaction.disengagement.negative_stance'
  | 'interaction.satisfaction.gratitude'
  | 'interaction.satisfaction.confirmation'
  | 'interaction.satisfaction.success'
  | 'execution.failure.invalid_args'
  | 'execution.failure.bad_query'
  | 'execution.failure.tool_not_found'
  | 'execution.failure.auth_misuse'
  | 'execution.failure.state_error'
  | 'execution.loops.retry'
  | 'execution.loops.parameter_drift'
  | 'execution.loops.oscillation'
  | 'environment.exhaustion.api_error'
  | 'environment.exhaustion.timeout'
  | 'environment.exhaustion.rate_limit'
  | 'environment.exhaustion.network'
  | 'environment.exhaustion.malformed_response'
  | 'environment.exhaustion.context_overflow';

/** Metadata values are JSON; numbers listed in `FLOAT_METADATA_KEYS` are f32 values printed as floats. */
export type MetadataValue = string | number | boolean | null | MetadataValue[] | { [key: string]: MetadataValue };

/** One detected signal instance. Key order matches the reference JSON. */
export interface Signal {
  signal_type: SignalType;
  message_index: number;
  snippet: string;
  /** An f32 value widened to double (e.g. `0.8999999761581421`). */
  confidence: number;
  metadata: Record<string, MetadataValue>;
}

/** A category's signals with their count and severity (0–3). */
export interface SignalGroup {
  category: Category;
  count: number;
  severity: number;
  signals: Signal[];
}

/** Quality buckets; `excellent` is unreachable with the reference scoring (max score 69). */
export type QualityBucket = 'excellent' | 'good' | 'neutral' | 'poor' | 'severe';

/** Turn metrics (spec §5.1, §12.4). `total_turns` counts user turns only, as the reference does. */
export interface TurnMetrics {
  total_turns: number;
  user_turns: number;
  assistant_turns: number;
  is_dragging: boolean;
  /** f32 widened to double. */
  efficiency_score: number;
}

/**
 * The analysis of one conversation. The first five keys are the reference replay report (spec §13);
 * `quality_score` and `turn_metrics` are what the reference exports only to OpenTelemetry (§14).
 * `serializeReport` writes the reference shape byte-for-byte and leaves those two out.
 */
export interface SignalReport {
  interaction_signals: {
    misalignment: SignalGroup;
    stagnation: SignalGroup;
    disengagement: SignalGroup;
    satisfaction: SignalGroup;
  };
  execution_signals: {
    failure: SignalGroup;
    loops: SignalGroup;
  };
  environment_signals: {
    exhaustion: SignalGroup;
  };
  overall_quality: QualityBucket;
  summary: string;
  quality_score: number;
  turn_metrics: TurnMetrics;
}

/** Every threshold and limit of the spec; the defaults equal the reference. */
export interface AnalyzeOptions {
  /** Rows kept from the end of the conversation (default 100). `Infinity` lifts the cap. */
  maxMessages?: number;
  /** Code points kept per human/gpt message for the interaction layer (default 2000, head/tail). */
  maxMessageLength?: number;
  /** User turns before efficiency decays (default 5). */
  baselineTurns?: number;
  /** Character-trigram Jaccard threshold of the fuzzy phrase matcher (default 0.65, compared as f32). */
  charNgramThreshold?: number;
  /** Token cosine threshold of the fuzzy phrase matcher (default 0.6, compared as f32). */
  tokenCosineThreshold?: number;
  /** Repetition: Jaccard at or above this is an exact repetition (default 0.95). */
  exactRepetitionThreshold?: number;
  /** Repetition: Jaccard at or above this is a near-duplicate (default 0.85). */
  nearDuplicateThreshold?: number;
  /** Repetition: how many earlier same-role messages are compared (default 2). */
  repetitionLookback?: number;
  /** Semantic rephrase: maximum row distance to the previous user message (default 3). */
  rephraseMaxDistance?: number;
  /** Semantic rephrase: overlap ratio threshold (default 0.75). */
  rephraseOverlapThreshold?: number;
  /** Semantic rephrase: minimum meaningful (non stop-word) tokens (default 4). */
  rephraseMinMeaningfulTokens?: number;
  /** Semantic rephrase: maximum share of new meaningful tokens (default 0.5). */
  rephraseMaxNewContentRatio?: number;
  /** ALL-CAPS check: minimum alphabetic chars (default 10). */
  capsMinLetters?: number;
  /** ALL-CAPS check: upper-case ratio threshold (default 0.8). */
  capsRatioThreshold?: number;
  /** Misalignment penalty: ratio of misalignments to user turns above which it applies (default 0.3). */
  misalignmentRatioThreshold?: number;
  /** Snippet context around a failure/exhaustion match, in UTF-8 bytes (default 50). */
  snippetContextBytes?: number;
}
