import type { SignalDefinition } from '../definition.js';
import type { Target, Verdict } from '../types.js';
import { compileRules, Evaluation, type CompiledRules } from './compile.js';

const compiled = new WeakMap<object, CompiledRules>();
const NO_COST = { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 } as const;

/** The rules of a definition, compiled once per rules object. */
export function rulesOf(definition: Pick<SignalDefinition, 'rules'>): CompiledRules {
  const spec = definition.rules;
  if (!spec) throw new Error('this signal has no rules');
  let rules = compiled.get(spec);
  if (!rules) compiled.set(spec, (rules = compileRules(spec)));
  return rules;
}

/**
 * The model-free judge: the first rule whose condition holds gives the label, else the default (a label or
 * `undecided`). Linear in the target: each message is normalized and phrase-matched once, patterns run on
 * a linear-time automaton. The explanation names the rule and its evidence (message, words).
 */
export function judgeWithRules(target: Target, definition: Pick<SignalDefinition, 'rules'>): Verdict {
  let rules: CompiledRules;
  try {
    rules = rulesOf(definition);
  } catch (e) {
    return { status: 'error', label: null, explanation: (e as Error).message, judge: 'rules', cost: { ...NO_COST } };
  }
  const ev = new Evaluation(target, rules.book, rules.memo);
  for (const rule of rules.rules) {
    const outcome = rule.test(ev);
    if (outcome.value) {
      return { status: 'labelled', label: rule.label, explanation: `${rule.name} → ${rule.label}: ${outcome.evidence}`, judge: 'rules', cost: { ...NO_COST } };
    }
  }
  if (rules.default === 'undecided') {
    return { status: 'undecided', label: null, explanation: 'no rule matched', judge: 'rules', cost: { ...NO_COST } };
  }
  return { status: 'labelled', label: rules.default, explanation: `no rule matched → default ${rules.default}`, judge: 'rules', cost: { ...NO_COST } };
}
