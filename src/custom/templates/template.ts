import type { SignalDefinitionInput } from '../definition.js';

/** A ready signal definition with a rules judge and an LLM prompt. */
export interface Template {
  /** The id used wherever a signal name is taken (`--signal frustration`). */
  id: string;
  title: string;
  /** The definition as a config file would hold it (judge `rules`; switch to `rules-then-llm` and add `llm` to use a model). */
  definition: SignalDefinitionInput;
}
