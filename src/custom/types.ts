import type { Message, SignalReport } from '../core/types.js';
import type { TargetKind } from '../formats/captured-span.js';
import type { LlmJudgeContext } from './llm/judge.js';

export type { TargetKind };

/** The value recorded for a binary signal. */
export type BinaryLabel = 'yes' | 'no';

/**
 * The thing a signal labels: one span, one trace or one session, with its conversation as the core's rows.
 * `revision` changes when a session (or trace) grows, so a resumed session is labelled again.
 */
export interface Target {
  kind: TargetKind;
  id: string;
  agent: string;
  /** The conversation as the core's rows (`human`, `gpt`, `function_call`, `observation`, `system`). */
  messages: Message[];
  /** Span name (the root span's for a trace or session), model, times, ids: what filters read. */
  meta: {
    spanName?: string;
    model?: string | null;
    sessionId?: string | null;
    traceId?: string;
    startTimeUnixNano?: string;
    endTimeUnixNano?: string;
    revision?: string;
    [key: string]: unknown;
  };
  /** The built-in report, computed once per target by whoever builds it (lazily if absent). */
  report?: SignalReport;
}

/** What one judge call spent. */
export interface JudgeCost {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars, 0 for the rules judge. */
  usd: number;
}

/**
 * One verdict. `status` is `labelled` with a `label` (one of the definition's labels, `yes`/`no` for binary),
 * `undecided` (rules could not tell; `rules-then-llm` hands it to the LLM), or `error` (never a guessed label).
 */
export interface Verdict {
  status: 'labelled' | 'undecided' | 'error';
  label: string | null;
  explanation: string;
  judge: 'rules' | 'llm' | 'learned';
  /** The learned judge's calibrated probability of its label (0-1). */
  confidence?: number;
  cost: JudgeCost;
}

/**
 * What a judge reads from its surroundings: `fetch`, the operator's `providers` (else the default provider of
 * `env`), `env` (`SIGNALS_OUTBOUND_ALLOW`), a verdict `cache`, the run's `budget`, a clock `now`. The rules judge needs none of it;
 * the fields are the LLM judge's (src/custom/llm/judge.ts), so one context serves every judge.
 */
export type JudgeContext = LlmJudgeContext;
