// The learned judge as one module for the cross-runtime test (test/browser/learned-runtimes.test.ts): bundled
// unchanged for Chromium and workerd, imported as is in Node. `default.fetch` is workerd's entry point.
import { predict } from '../../src/custom/learned/judge-learned.js';
import type { LearnedModel } from '../../src/custom/learned/model.js';
import type { SignalDefinition } from '../../src/custom/definition.js';
import type { Target } from '../../src/custom/types.js';

/** One model, the definition it reads the rules of, and the targets to judge. */
export interface LearnedCase {
  model: LearnedModel;
  definition: Pick<SignalDefinition, 'rules'>;
  targets: Target[];
}

/** Per case, per target: the label, every calibrated probability and the evidence shown. */
export function judgeAll(cases: LearnedCase[]): { label: string; probabilities: Record<string, number>; evidence: string[] }[][] {
  return cases.map((c) =>
    c.targets.map((t) => {
      const p = predict({ ...t, report: undefined }, c.model, c.definition);
      return { label: p.label, probabilities: p.probabilities, evidence: p.evidence };
    }),
  );
}

export default {
  async fetch(request: Request): Promise<Response> {
    return Response.json(judgeAll((await request.json()) as LearnedCase[]));
  },
};
