import { z } from 'zod';
import { agentNameProblem } from '../formats/agent-name.js';
import { learnedModelSchema } from './learned/model.js';
import { TEMPLATE_MODELS } from './templates/models/index.js';
import { tryCompileRules } from './rules/compile.js';
import { MAX_LLM_RETRIES, MAX_LLM_TIMEOUT_MS } from './llm/limits.js';

/**
 * The signal definition schema (zod 4): the shape of `signals.config.yaml|json` entries and of the HTTP API.
 * The TypeScript types below are derived from it, so the schema is the single source of truth; the JSON Schema
 * for editor completion is generated from it (`npm run schema:config`).
 */

const ROLE = z.enum(['user', 'assistant', 'tool', 'system', 'any']);
const WHERE = z.enum(['any', 'first', 'last']);

const CONDITION_KINDS = ['any', 'all', 'not', 'phrases', 'pattern', 'expr'] as const;

/** One condition of a rules judge: a combinator (`any`/`all`/`not`) or a test (`phrases`, `pattern`, `expr`). */
export interface Condition {
  any?: Condition[];
  all?: Condition[];
  not?: Condition;
  /** Phrases (matched on whole words, case- and quote-insensitive), or the name of a list in `rules.lists`. */
  phrases?: string[] | string;
  /** A regular expression of the safe subset (run by a linear-time automaton). */
  pattern?: string;
  /** A comparison over the built-in report or a feature: `count("interaction.disengagement.*") >= 1`. */
  expr?: string;
  /** Whose messages `phrases`/`pattern` look at; default `user`. */
  role?: z.infer<typeof ROLE>;
  /** Which of those messages: any (default), the first or the last. */
  where?: z.infer<typeof WHERE>;
  /** Phrases also match near-variants (the core's Jaccard/cosine layers), not only exact words. */
  fuzzy?: boolean;
  /** Patterns are case-insensitive unless this is true. */
  case_sensitive?: boolean;
  /** How many matching messages are needed (default 1). */
  min?: number;
}

/** Recursive condition schema; exactly one kind key per condition (checked in `checkCondition`). */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      any: z.array(conditionSchema).min(1).optional(),
      all: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      phrases: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).optional(),
      pattern: z.string().min(1).optional(),
      expr: z.string().min(1).optional(),
      role: ROLE.optional(),
      where: WHERE.optional(),
      fuzzy: z.boolean().optional(),
      case_sensitive: z.boolean().optional(),
      min: z.int().min(1).optional(),
    })
    .superRefine((c, ctx) => {
      const kinds = CONDITION_KINDS.filter((k) => c[k] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            kinds.length === 0
              ? `a condition needs one of ${CONDITION_KINDS.join(', ')}`
              : `a condition has exactly one of ${CONDITION_KINDS.join(', ')}, got ${kinds.join(' and ')}`,
        });
      }
    }),
);

/** One ordered rule of a rules judge: the first whose condition holds gives the label. */
export const ruleSchema = z.strictObject({
  label: z.string().min(1),
  if: conditionSchema,
  /** Shown in the explanation; defaults to `rule N`. */
  name: z.string().optional(),
});

/** The rules judge: named phrase lists, ordered `label: condition` rules and the label when none holds. */
export const rulesSchema = z.strictObject({
  lists: z.record(z.string(), z.array(z.string().min(1)).min(1)).optional(),
  when: z.array(ruleSchema).min(1),
  /** A label, or `undecided` (then `rules-then-llm` asks the LLM). */
  default: z.string().min(1),
});

/**
 * The LLM judge's configuration (read by src/custom/llm/): which operator provider, optionally another model, and
 * caps. A definition never carries a URL or a key: `base_url` and `api_key_env` are refused with what to do instead.
 */
export const llmSchema = z
  .strictObject({
    /** A provider the operator configured (`GET /v1/providers`); default `default` (the `SIGNALS_LLM_*` one). */
    provider: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a provider name (see GET /v1/providers or signals providers)').optional(),
    /** A model other than the provider's. */
    model: z.string().min(1).max(200).optional(),
    timeout_ms: z.int().positive().max(MAX_LLM_TIMEOUT_MS, `at most ${MAX_LLM_TIMEOUT_MS} ms (5 minutes) a call`).optional(),
    max_requests_per_run: z.int().positive().optional(),
    max_tokens_per_run: z.int().positive().optional(),
    max_usd_per_run: z.number().positive().optional(),
    max_requests_per_day: z.int().positive().optional(),
    max_usd_per_day: z.number().positive().optional(),
    /** Long targets are cut to this many input tokens, keeping the start and the end. */
    max_input_tokens: z.int().positive().optional(),
    /** Retries after a 429, a 5xx, a timeout or a network error. */
    max_retries: z.int().nonnegative().max(MAX_LLM_RETRIES, `at most ${MAX_LLM_RETRIES} retries a call`).optional(),
    // Refused with a message (not as unknown keys): the operator configures URLs and keys.
    base_url: z.unknown().optional(),
    api_key_env: z.unknown().optional(),
    price_per_1k_input: z.unknown().optional(),
    price_per_1k_output: z.unknown().optional(),
    max_concurrency: z.unknown().optional(),
  })
  .superRefine((l, ctx) => {
    for (const key of ['base_url', 'api_key_env'] as const) {
      if (l[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'a signal names a provider (llm.provider) and may pick a model; URLs and keys are configured by the operator (GET /v1/providers)',
        });
      }
    }
    for (const key of ['price_per_1k_input', 'price_per_1k_output', 'max_concurrency'] as const) {
      if (l[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is a setting of the operator's provider, not of a signal` });
    }
  });

/**
 * The learned judge's configuration: the model (written by `signals learn` or shipped with a template) and, for
 * `learned-then-llm`, the confidence at or above which the learned label stands (the LLM judges the rest).
 */
export const learnedSchema = z.strictObject({
  /** The model itself, or `template:ID` for the model shipped with a template (e.g. `template:jailbreak`). */
  model: z.union([learnedModelSchema, z.string().regex(/^template:[a-z0-9-]+$/, 'a model object, or template:ID for a template\'s model')]),
  /** `learned-then-llm`: the learned label stands when its calibrated confidence is at least this. */
  threshold: z.number().min(0).max(1).optional(),
  /** The agreement with the training labels the threshold was chosen to keep (default 0.95). */
  agreement: z.number().gt(0).lte(1).optional(),
  /** Measured on the held-out part of the training labels when the threshold was chosen. */
  cascade: z
    .strictObject({
      n: z.int().nonnegative(),
      /** Share of targets the LLM would judge. */
      llm_share: z.number().min(0).max(1),
      /** Agreement of the cascade's labels with the held-out labels. */
      agreement: z.number().min(0).max(1),
    })
    .optional(),
});

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** Which targets a signal looks at; every given field must match (`*` globs allowed in names). */
export const filterSchema = z.strictObject({
  agent: oneOrMany.optional(),
  span_name: oneOrMany.optional(),
  model: oneOrMany.optional(),
  /** Built-in signal types (globs) of which at least one must be present in the target's report. */
  signals: z.array(z.string().min(1)).min(1).optional(),
  min_messages: z.int().nonnegative().optional(),
  max_messages: z.int().nonnegative().optional(),
});

/** One label of a `labels` signal. */
export const labelOptionSchema = z.strictObject({
  name: z.string().min(1).max(64),
  description: z.string().optional(),
});

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** A signal definition as written in `signals.config.yaml` and sent over HTTP. */
export const signalDefinitionSchema = z
  .strictObject({
    name: z.string().regex(NAME, 'use 1 to 64 lowercase letters, digits, "-", "_" or "." (starting with a letter or digit)'),
    description: z.string().optional(),
    // One agent's name or '*': live labelling, settling and backfills pick a signal by its agent's exact name, so a
    // pattern here would label nothing, silently; patterns belong in `filter.agent`.
    agent: z
      .string()
      .regex(/^(\*|[^*]+)$/, 'one agent\'s name, or "*" for every agent; to cover agents by a pattern, set agent: "*" and filter.agent: the pattern')
      // Written as agents' names are stored: a look-alike would label nobody's traffic, or be taken for another agent's signal.
      .superRefine((agent, ctx) => {
        // '' is the pattern's to refuse, with its own message.
        const problem = agent === '*' || agent === '' ? undefined : agentNameProblem(agent);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `the agent's name ${problem}` });
      })
      .default('*'),
    scope: z.enum(['span', 'trace', 'session']),
    type: z.enum(['binary', 'labels']),
    labels: z.array(labelOptionSchema).optional(),
    prompt: z.string().trim().min(1, 'the prompt is required'),
    judge: z.enum(['rules', 'llm', 'rules-then-llm', 'learned', 'learned-then-llm']).default('rules'),
    rules: rulesSchema.optional(),
    llm: llmSchema.optional(),
    learned: learnedSchema.optional(),
    sample_rate: z.number().gt(0, 'must be above 0').lte(1, 'must be at most 1').default(1),
    filter: filterSchema.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.type === 'labels') {
      const labels = d.labels ?? [];
      if (labels.length < 2 || labels.length > 10) {
        ctx.addIssue({ code: 'custom', path: ['labels'], message: 'need 2 to 10 labels' });
      }
      const seen = new Set<string>();
      labels.forEach((l, i) => {
        if (seen.has(l.name)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'name'], message: `duplicate label "${l.name}"` });
        if (l.name === 'undecided' || l.name === 'error') {
          ctx.addIssue({ code: 'custom', path: ['labels', i, 'name'], message: `"${l.name}" is reserved` });
        }
        seen.add(l.name);
      });
    } else if (d.labels !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'a binary signal has no labels (its labels are yes and no)' });
    }
    if ((d.judge === 'rules' || d.judge === 'rules-then-llm') && !d.rules) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: `judge "${d.judge}" needs rules` });
    }
    if ((d.judge === 'learned' || d.judge === 'learned-then-llm') && !d.learned) {
      ctx.addIssue({ code: 'custom', path: ['learned'], message: `judge "${d.judge}" needs a learned model (train one with signals learn)` });
    }
    const model = d.learned ? (typeof d.learned.model === 'string' ? TEMPLATE_MODELS[d.learned.model.slice('template:'.length)]?.model : d.learned.model) : undefined;
    if (d.learned && !model) {
      ctx.addIssue({ code: 'custom', path: ['learned', 'model'], message: `no template model "${d.learned.model as string}" (known: ${Object.keys(TEMPLATE_MODELS).map((id) => `template:${id}`).join(', ')})` });
    }
    if (d.learned && model) {
      const allowed = new Set(labelNames(d));
      model.labels.forEach((l, i) => {
        if (!allowed.has(l)) ctx.addIssue({ code: 'custom', path: ['learned', 'model', 'labels', i], message: `"${l}" is not a label of this signal (${[...allowed].join(', ')})` });
      });
      if ((model.features.rules || model.features.lexicon) && !d.rules) {
        ctx.addIssue({ code: 'custom', path: ['rules'], message: `the learned model reads the rules ${model.features.rules ? 'verdict' : 'patterns'}: keep the rules it was trained with` });
      }
    }
    if (d.rules) {
      const allowed = new Set(labelNames(d));
      d.rules.when.forEach((r, i) => {
        if (!allowed.has(r.label)) {
          ctx.addIssue({ code: 'custom', path: ['rules', 'when', i, 'label'], message: `"${r.label}" is not a label of this signal (${[...allowed].join(', ')})` });
        }
      });
      if (d.rules.default !== 'undecided' && !allowed.has(d.rules.default)) {
        ctx.addIssue({ code: 'custom', path: ['rules', 'default'], message: `"${d.rules.default}" is neither a label of this signal nor "undecided"` });
      }
      // Patterns, expressions and list names are checked by compiling them, so a bad one fails here with its path.
      const compiled = tryCompileRules(d.rules);
      if (!compiled.ok) for (const p of compiled.problems) ctx.addIssue({ code: 'custom', path: ['rules', ...p.path], message: p.message });
    }
  });

/**
 * How a signal is judged: by rules, by an LLM, by a learned model, or by rules / the learned model with the LLM only
 * where they are undecided / unsure.
 */
export type JudgeKind = SignalDefinition['judge'];
/** One label of a `labels` signal. */
export type LabelOption = z.infer<typeof labelOptionSchema>;
/** The rules judge's configuration. */
export type RulesSpec = z.infer<typeof rulesSchema>;
/** One ordered rule. */
export type Rule = z.infer<typeof ruleSchema>;
/** The learned judge's configuration. */
export type LearnedConfig = z.infer<typeof learnedSchema>;
/** The LLM judge's configuration. */
export type LlmConfig = z.output<typeof llmSchema>;
/** Which targets a signal looks at. */
export type SignalFilter = z.infer<typeof filterSchema>;
/** A validated signal definition (defaults applied). */
export type SignalDefinition = z.output<typeof signalDefinitionSchema>;
/** A signal definition as written (defaults not yet applied). */
export type SignalDefinitionInput = z.input<typeof signalDefinitionSchema>;

/** The labels a verdict of this signal can carry: `yes`/`no` for binary, else the defined names. */
export function labelNames(definition: Pick<SignalDefinition, 'type' | 'labels'>): string[] {
  return definition.type === 'binary' ? ['yes', 'no'] : (definition.labels ?? []).map((l) => l.name);
}

/**
 * Why `next` cannot replace `previous` as a new version of the same signal, or null when it can.
 * The scope is fixed once created (verdicts of different scopes are not comparable), and so is the name.
 */
export function versionChangeProblem(previous: SignalDefinition, next: SignalDefinition): string | null {
  if (previous.name !== next.name) return `a new version keeps the name "${previous.name}" (got "${next.name}")`;
  if (previous.scope !== next.scope) {
    return `scope is fixed once created: "${previous.name}" labels ${previous.scope}s, cannot become ${next.scope}`;
  }
  return null;
}
