/**
 * Alert rules as the service stores them: validated with the alerts module's schema, checked against the
 * signal they watch, and read back into the evaluator's resolved form. Also the label query alerts read.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import { type AlertLabel, type AlertRule, channelVarProblems, recipientProblems, resolveAlertRule, type ResolvedAlertRule, validateAlertRule } from '../alerts/index.js';
import { outboundAllowFromEnv, urlProblem } from '../outbound/policy.js';
import { labelNames } from '../custom/definition.js';
import type { AlertRow } from '../store/alerts.js';
import { labels } from '../store/schema.js';
import type { Store } from '../store/types.js';
import { ServiceError } from './api.js';
import type { ServiceContext } from './context.js';
import { loadSignal } from './loading.js';

/** A rule checked against its signal: stored with the signal's canonical name. */
export interface CheckedRule {
  rule: AlertRule;
  signalId: string;
}

/**
 * Validates an alert rule (the config file's `alerts:` entry shape) and resolves its signal; problems become
 * `ServiceError('invalid')` with one `path: message` line each in `details`.
 */
export async function checkAlertRule(ctx: ServiceContext, input: unknown): Promise<CheckedRule> {
  const result = validateAlertRule(input);
  if (!result.ok) {
    const details = result.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw new ServiceError('invalid', `Invalid alert rule:\n${details.join('\n')}`, details);
  }
  // Destinations and variables are checked before anything is stored: a URL the outbound policy refuses, a
  // variable the operator did not list for channels, or a recipient outside SIGNALS_SMTP_TO is a 400 naming the channel.
  const allow = outboundAllowFromEnv(ctx.env);
  const channelProblems = [
    ...result.value.channels.flatMap((c, i) => {
      const url = (c as { url?: string }).url;
      const problem = url === undefined ? null : urlProblem(url, allow);
      return problem ? [`channels[${i}].url: ${problem}`] : [];
    }),
    ...channelVarProblems(result.value.channels, ctx.env),
    ...recipientProblems(result.value.channels, ctx.env),
  ];
  if (channelProblems.length > 0) throw new ServiceError('invalid', `Invalid alert rule:\n${channelProblems.join('\n')}`, channelProblems);
  const signal = await loadSignal(ctx, result.value.signal);
  const rule: AlertRule = { ...result.value, signal: signal.row.name };
  const names = labelNames(signal.definition);
  if (rule.metric === 'true_rate' && signal.definition.type !== 'binary') {
    throw new ServiceError('invalid', `metric: true_rate needs a binary signal; "${signal.row.name}" has labels ${names.join(', ')} (use value_share)`, [
      'metric: true_rate needs a binary signal',
    ]);
  }
  if (rule.value !== undefined && !names.includes(rule.value)) {
    throw new ServiceError('invalid', `value: "${rule.value}" is not a label of "${signal.row.name}" (${names.join(', ')})`, [
      `value: not a label of ${signal.row.name}`,
    ]);
  }
  return { rule, signalId: signal.row.id };
}

/**
 * The rule an alert row stores, as it is used: email channels stored before the sender became the operator's
 * setting alone may carry a caller's `from`, which is dropped here (never sent, shown or refused on an edit that
 * does not mention it).
 */
export function storedRule(row: AlertRow): Record<string, unknown> {
  const rule = row.rule as Record<string, unknown>;
  if (!Array.isArray(rule.channels)) return rule;
  const channels = (rule.channels as unknown[]).map((c) => {
    if (typeof c !== 'object' || c === null || (c as { type?: unknown }).type !== 'email' || !('from' in c)) return c;
    const { from: _dropped, ...rest } = c as Record<string, unknown>;
    return rest;
  });
  return { ...rule, channels };
}

/** The stored rule of an alert in the evaluator's form (the row's name wins over the JSON's). */
export function ruleOfRow(row: AlertRow): ResolvedAlertRule {
  const result = validateAlertRule({ ...storedRule(row), name: row.name });
  if (!result.ok) {
    // Only rows written around the service (by hand in the database) can get here.
    throw new ServiceError('invalid', `Alert "${row.name}" has an invalid stored rule: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  return resolveAlertRule(result.value);
}

/** Current (non-superseded) labels of a signal with traffic time in `(since, until]`, as the evaluator reads them. */
export async function loadAlertLabels(store: Store, signalId: string, since: number, until: number): Promise<AlertLabel[]> {
  const rows = await store.db
    .select({ at: labels.at, status: labels.status, value: labels.value })
    .from(labels)
    .where(and(eq(labels.signalId, signalId), eq(labels.superseded, false), gt(labels.at, since), lte(labels.at, until)));
  return rows.map((r) => ({ labelledAt: r.at, status: r.status, value: r.value }));
}
