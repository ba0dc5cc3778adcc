/**
 * The alert rule (zod 4): the shape of the config file's `alerts:` entries and of `POST /v1/alerts`.
 * Durations are strings (`5m`, `1h`); `resolveAlertRule` turns them into milliseconds for the evaluator.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.js';

const MIN_WINDOW = 5 * 60_000;
const MAX_WINDOW = 48 * 3_600_000;

const duration = (min = 0, max = Infinity) =>
  z.string().superRefine((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === null) ctx.addIssue({ code: 'custom', message: `not a duration like "5m", "1h30m" (got ${JSON.stringify(s)})` });
    else if (ms < min || ms > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${max === Infinity ? `at least ${formatDuration(min)}` : `between ${formatDuration(min)} and ${formatDuration(max)}`} (got ${s})`,
      });
    }
  });

const name = z.string().trim().min(1).max(200);

/** Slack incoming webhook. `url` or `url_env` (the webhook URL is a secret). */
export const slackChannelSchema = z.strictObject({
  type: z.literal('slack'),
  name: name.optional(),
  url: z.url().optional(),
  url_env: z.string().min(1).optional(),
});

/** A generic webhook: JSON body signed with `X-Signals-Signature: sha256=<hex>` when a secret is configured. */
export const webhookChannelSchema = z.strictObject({
  type: z.literal('webhook'),
  name: name.optional(),
  url: z.url().optional(),
  url_env: z.string().min(1).optional(),
  /** Name of the environment variable holding the HMAC secret. */
  secret_env: z.string().min(1).optional(),
});

/**
 * Email over SMTP (Node only). The SMTP server and the sender are the operator's settings (`SIGNALS_SMTP_URL`,
 * `SIGNALS_SMTP_FROM`): a channel naming its own `from` would let whoever creates an alert mail as anyone through
 * the operator's server, so it is refused by name rather than dropped. `SIGNALS_SMTP_TO` may restrict `to`.
 */
export const emailChannelSchema = z.strictObject(
  {
    type: z.literal('email'),
    name: name.optional(),
    to: z.array(z.email()).min(1),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' && issue.keys.includes('from')
        ? `from: the sender is the operator's setting SIGNALS_SMTP_FROM; an alert channel may not choose it (remove "from")`
        : undefined,
  },
);

/** One notification channel. */
export const channelSchema = z
  .discriminatedUnion('type', [slackChannelSchema, webhookChannelSchema, emailChannelSchema])
  .superRefine((c, ctx) => {
    if (c.type !== 'email' && (c.url === undefined) === (c.url_env === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `${c.type} channel: give exactly one of url, url_env` });
    }
  });

/** An alert rule as written. */
export const alertRuleSchema = z
  .strictObject({
    name,
    /** The signal's name (or id). */
    signal: name,
    metric: z.enum(['volume', 'true_rate', 'value_count', 'value_share']),
    /** The label value counted by `value_count` / `value_share`. */
    value: z.string().min(1).optional(),
    comparison: z.enum(['above', 'below', 'change']),
    /** Absolute for `above`/`below`; percent for `change` (+50 = rose by more than 50%, -50 = fell by more than 50%). */
    threshold: z.number().finite(),
    window: duration(MIN_WINDOW, MAX_WINDOW),
    every: duration(10_000, MAX_WINDOW).default('1m'),
    /** Fewer labelled targets in the window than this is no data (default 1; 0 for `volume`). */
    min_labels: z.int().min(0).optional(),
    for: duration().default('0s'),
    cooldown: duration().default('1h'),
    evaluation_delay: duration(0, MAX_WINDOW).default('0s'),
    no_data: z.enum(['ok', 'keep_state', 'alert']).default('ok'),
    channels: z.array(channelSchema).default([]),
  })
  .superRefine((r, ctx) => {
    const needsValue = r.metric === 'value_count' || r.metric === 'value_share';
    if (needsValue && r.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${r.metric} needs the label value to count` });
    if (!needsValue && r.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `value is only for value_count / value_share` });
    if ((r.metric === 'true_rate' || r.metric === 'value_share') && r.comparison !== 'change' && (r.threshold < 0 || r.threshold > 1)) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: `${r.metric} is a share: threshold must be between 0 and 1` });
    }
  });

/** An alert rule as written (durations as strings). */
export type AlertRuleInput = z.input<typeof alertRuleSchema>;
/** A validated alert rule (defaults applied, durations still strings). */
export type AlertRule = z.output<typeof alertRuleSchema>;
/** One notification channel. */
export type ChannelConfig = z.output<typeof channelSchema>;

/** A rule with durations in milliseconds, as the evaluator reads it. */
export interface ResolvedAlertRule extends Omit<AlertRule, 'window' | 'every' | 'for' | 'cooldown' | 'evaluation_delay' | 'min_labels'> {
  windowMs: number;
  everyMs: number;
  forMs: number;
  cooldownMs: number;
  evaluationDelayMs: number;
  minLabels: number;
  /** The window as written, for messages. */
  window: string;
}

/** Problems of a rule, each with its path (`alerts[1].window: …`). */
export interface AlertRuleProblem {
  path: string;
  message: string;
}

function pathOf(prefix: PropertyKey[], path: readonly PropertyKey[]): string {
  return [...prefix, ...path].reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s === '' ? String(p) : `${s}.${String(p)}`),
    '',
  );
}

/** Validates a rule without throwing; `prefix` places problems in a larger document (`['alerts', 2]`). */
export function validateAlertRule(
  input: unknown,
  prefix: PropertyKey[] = [],
): { ok: true; value: AlertRule } | { ok: false; problems: AlertRuleProblem[] } {
  const result = alertRuleSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((i) => ({ path: pathOf(prefix, i.path), message: i.message })) };
}

/** Validates the config file's `alerts:` list: each rule (paths `alerts[i]…`) and that names are unique. */
export function validateAlertRules(
  input: unknown,
): { ok: true; value: AlertRule[] } | { ok: false; problems: AlertRuleProblem[] } {
  if (!Array.isArray(input)) return { ok: false, problems: [{ path: 'alerts', message: 'must be a list of alert rules' }] };
  const problems: AlertRuleProblem[] = [];
  const value: AlertRule[] = [];
  const seen = new Map<string, number>();
  input.forEach((item, i) => {
    const r = validateAlertRule(item, ['alerts', i]);
    if (!r.ok) return void problems.push(...r.problems);
    const first = seen.get(r.value.name);
    if (first !== undefined) problems.push({ path: `alerts[${i}].name`, message: `duplicate alert name "${r.value.name}" (also alerts[${first}])` });
    else seen.set(r.value.name, i);
    value.push(r.value);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

/** Thrown by `parseAlertRule`; the message lists every problem on its own line. */
export class AlertRuleError extends Error {
  override readonly name = 'AlertRuleError';
  constructor(readonly problems: AlertRuleProblem[]) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n'));
  }
}

/** Validates and resolves a rule, or throws `AlertRuleError`. */
export function parseAlertRule(input: unknown): ResolvedAlertRule {
  const result = validateAlertRule(input);
  if (!result.ok) throw new AlertRuleError(result.problems);
  return resolveAlertRule(result.value);
}

/** Turns a validated rule's durations into milliseconds and applies the `min_labels` default. */
export function resolveAlertRule(rule: AlertRule): ResolvedAlertRule {
  const { every, for: forText, cooldown, evaluation_delay, min_labels, ...rest } = rule;
  return {
    ...rest,
    windowMs: parseDuration(rule.window)!,
    everyMs: parseDuration(every)!,
    forMs: parseDuration(forText)!,
    cooldownMs: parseDuration(cooldown)!,
    evaluationDelayMs: parseDuration(evaluation_delay)!,
    minLabels: min_labels ?? (rule.metric === 'volume' ? 0 : 1),
  };
}
