import type { Message, QualityBucket, SignalReport } from '../core/types.js';

/** The part of a report triage reads: the reference replay shape, as `signals analyze` writes it. */
export type ReportLike = Pick<
  SignalReport,
  'interaction_signals' | 'execution_signals' | 'environment_signals' | 'overall_quality'
>;

/** Everything triage can weigh, one number per category (see `profiles.ts` for why each matters). */
export interface TriageFeatures {
  /** log2(1 + assistant text characters / 1000). */
  verbosity: number;
  /** Tool observations whose text reports an error, capped at 3. */
  tool_errors: number;
  /** User turns after the first that push back ("wrong", "still", "not working"), capped at 3. */
  pushback: number;
  /** 1 when the conversation ends on a tool call that never got its result. */
  unfinished: number;
  /** 1 when a tool named like a hand-off (transfer/human/escalat) was called or the user asked for a human. */
  escalation: number;
  /** Reference group counts, each capped at 3. */
  stagnation: number;
  loops: number;
  failure: number;
  exhaustion: number;
  misalignment: number;
  disengagement: number;
  /** Reference bucket as a rank: excellent 0 … severe 4. */
  quality: number;
  /** Total reference signal count, uncapped (the baseline's tie-breaker). */
  signals: number;
}

/** The category names, in the fixed order used for reasons and tables. */
export type TriageCategory = keyof TriageFeatures;

/** Every category, in declaration order. */
export const TRIAGE_CATEGORIES: readonly TriageCategory[] = [
  'verbosity',
  'tool_errors',
  'pushback',
  'unfinished',
  'escalation',
  'stagnation',
  'loops',
  'failure',
  'exhaustion',
  'misalignment',
  'disengagement',
  'quality',
  'signals',
];

/** The categories read from the rows rather than from the reference report (boolean-like: present or not). */
export const ROW_CATEGORIES: readonly TriageCategory[] = ['tool_errors', 'pushback', 'unfinished', 'escalation'];

const QUALITY_RANK: Record<QualityBucket, number> = { excellent: 0, good: 1, neutral: 2, poor: 3, severe: 4 };

// Words tools use to say a call did not work; "error": true payloads match \berror\b too.
const ERROR_WORDS = /\b(?:error|exception|traceback|failed|failure|cannot|unable|not found|invalid|denied)\b/i;
// A user telling the agent its answer is wrong or the problem persists.
const PUSHBACK_WORDS = /\b(?:wrong|incorrect|not correct|mistake|still|not working|(?:doesn|didn|isn)['’]t work(?:ing)?)\b/i;
// Generic hand-off tool names: transfer_to_human_agents, escalate_ticket, handoff_to_human…
const HANDOFF_TOOL = /"name"\s*:\s*"[^"]*(?:transfer|human|escalat)/i;
// Three repeats of the same problem are already plenty; more should not swamp the other features.
const CAP = 3;

const cap = (n: number): number => Math.min(n, CAP);

/** Features read from the rows; all zero when only a report is available. */
function messageFeatures(messages: readonly Message[]): Pick<
  TriageFeatures,
  'verbosity' | 'tool_errors' | 'pushback' | 'unfinished' | 'escalation'
> {
  let agentChars = 0;
  let toolErrors = 0;
  let pushback = 0;
  let handoff = 0;
  let seenTask = false;
  let last = '';
  for (const m of messages) {
    if (m.from === 'gpt') agentChars += m.value.length;
    else if (m.from === 'observation') toolErrors += ERROR_WORDS.test(m.value) ? 1 : 0;
    else if (m.from === 'function_call') handoff = HANDOFF_TOOL.test(m.value.slice(0, 300)) ? 1 : handoff;
    else if (m.from === 'human' && m.value.trim() !== '') {
      // The first user turn states the task; its words describe the problem, not the agent's answer.
      if (seenTask) pushback += PUSHBACK_WORDS.test(m.value) ? 1 : 0;
      seenTask = true;
    }
    if (m.from !== 'system') last = m.from;
  }
  return {
    verbosity: Math.log2(1 + agentChars / 1000),
    tool_errors: cap(toolErrors),
    pushback: cap(pushback),
    unfinished: last === 'function_call' ? 1 : 0,
    escalation: handoff,
  };
}

/** Triage features of one conversation; `messages` may be null when only the report is known. */
export function triageFeatures(messages: readonly Message[] | null, report: ReportLike): TriageFeatures {
  const i = report.interaction_signals;
  const e = report.execution_signals;
  const env = report.environment_signals.exhaustion;
  const fromRows = messages
    ? messageFeatures(messages)
    : { verbosity: 0, tool_errors: 0, pushback: 0, unfinished: 0, escalation: 0 };
  const askedForHuman = i.disengagement.signals.some((s) => s.signal_type === 'interaction.disengagement.escalation');
  return {
    ...fromRows,
    escalation: askedForHuman ? 1 : fromRows.escalation,
    stagnation: cap(i.stagnation.count),
    loops: cap(e.loops.count),
    failure: cap(e.failure.count),
    exhaustion: cap(env.count),
    misalignment: cap(i.misalignment.count),
    disengagement: cap(i.disengagement.count),
    quality: QUALITY_RANK[report.overall_quality],
    signals:
      i.misalignment.count +
      i.stagnation.count +
      i.disengagement.count +
      i.satisfaction.count +
      e.failure.count +
      e.loops.count +
      env.count,
  };
}

// Continuous or always-present features say nothing about "has this problem", so they take no quota.
const NOT_QUOTA: ReadonlySet<TriageCategory> = new Set<TriageCategory>(['verbosity', 'quality', 'signals']);

/** Categories a conversation has (value > 0), for quotas and the per-signal table: e.g. `loops`, `escalation`. */
export function presentCategories(features: TriageFeatures): TriageCategory[] {
  return TRIAGE_CATEGORIES.filter((c) => !NOT_QUOTA.has(c) && features[c] > 0);
}
