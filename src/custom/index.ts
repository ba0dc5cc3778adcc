/**
 * Custom signals: definitions (zod schema, config files), deterministic sampling, the rules and LLM judges behind
 * one `judge()` function, templates, test runs and evaluation against labels. Pure: runs in Node, browsers and Workers.
 */
export { keep, sampleUnit, SAMPLE_PRESETS } from './sample.js';
export {
  conditionSchema,
  filterSchema,
  labelNames,
  labelOptionSchema,
  llmSchema,
  rulesSchema,
  signalDefinitionSchema,
  versionChangeProblem,
  type Condition,
  type JudgeKind,
  type LabelOption,
  type LlmConfig,
  type Rule,
  type RulesSpec,
  type SignalDefinition,
  type SignalDefinitionInput,
  type SignalFilter,
} from './definition.js';
export {
  DefinitionError,
  formatProblem,
  loadConfig,
  parseDefinition,
  signalsConfigSchema,
  validateConfig,
  validateDefinition,
  type ConfigProblem,
  type SignalsConfig,
  type Validation,
} from './config.js';
export { configJsonSchema, definitionJsonSchema } from './json-schema.js';
export { judge } from './judge.js';
export { judgeWithRules } from './rules/judge-rules.js';
export { compileRules, RulesError, type RuleProblem } from './rules/compile.js';
export { compilePattern, PatternError, type SafePattern } from './rules/safe-regex.js';
export { compileExpr, ExprError, FEATURES } from './rules/expr.js';
export { judgeWithLlm, BudgetExceededError, isBudgetExceeded, MemoryVerdictCache } from './llm/index.js';
export { filterMismatch } from './filter.js';
export { TEMPLATES, resolveSignal, templateById, templateDefinition, type Template } from './templates/index.js';
export { configYaml } from './init-config.js';
export * from './learned/index.js';
export { conversationTarget } from './targets.js';
export { formatTestResult, MAX_TEST_SAMPLE, testSignal, type TestResult, type TestRow, type TestSignalInput } from './test-signal.js';
export { TestRequestError, testSignalRequest } from './test-request.js';
export { evaluateVerdicts, formatEvalReport, type EvalItem, type EvalReport, type LabelScore } from './evaluate.js';
export { labelMapping, type LabelMapping } from './eval-labels.js';
export type { BinaryLabel, JudgeContext, JudgeCost, Target, TargetKind, Verdict } from './types.js';
