import type { SignalDefinitionInput } from '../definition.js';

/** A ready signal definition with a rules judge, a learned model trained on public labels, and an LLM prompt. */
export interface Template {
  /** The id used wherever a signal name is taken (`--signal frustration`). */
  id: string;
  title: string;
  /**
   * The definition as a config file would hold it: judge `rules` or `learned` (whichever did better on the dev labels),
   * the model as `template:ID`; switch to `learned-then-llm` or `rules-then-llm` and add `llm` to ask a model too.
   */
  definition: SignalDefinitionInput;
}
