// PLACEHOLDER written by the lead so the contracts compile; the custom-signals helper replaces this file with
// the zod schema (keeping these field names: they are the config file's and the HTTP API's shape).
import type { TargetKind } from './types.js';

/** How a signal is judged: by rules, by an LLM, or by rules with the LLM only where they are undecided. */
export type JudgeKind = 'rules' | 'llm' | 'rules-then-llm';

/** One label of a `labels` signal. */
export interface LabelOption {
  name: string;
  description?: string;
}

/** A signal definition as written in `signals.config.yaml` and sent over HTTP. */
export interface SignalDefinition {
  name: string;
  description?: string;
  agent: string;
  scope: TargetKind;
  type: 'binary' | 'labels';
  labels?: LabelOption[];
  prompt: string;
  judge: JudgeKind;
  rules?: unknown;
  llm?: unknown;
  sample_rate: number;
  filter?: unknown;
}
