import type { SignalDefinition } from './definition.js';
import { globMatcher, reportOf, reportSignals } from './rules/features.js';
import type { Target } from './types.js';

function matchesAny(value: string | null | undefined, wanted: string | string[]): boolean {
  if (value === null || value === undefined) return false;
  return (Array.isArray(wanted) ? wanted : [wanted]).some((g) => globMatcher(g)(value));
}

/**
 * Why an agent's targets are outside a signal (its `agent` and `filter.agent`), or null when the signal covers that
 * agent: the tenancy half of {@link filterMismatch}, for places that name a target by id (a reviewer's label).
 */
export function agentMismatch(agent: string, definition: Pick<SignalDefinition, 'agent' | 'filter'>): string | null {
  if (definition.agent !== '*' && !matchesAny(agent, definition.agent)) return `agent "${agent}" is not "${definition.agent}"`;
  if (definition.filter?.agent && !matchesAny(agent, definition.filter.agent)) return `agent "${agent}" does not match the filter`;
  return null;
}

/**
 * Why a target is outside a signal (its `agent` and `filter`), or null when the signal looks at it.
 * Every given filter field must match; names take `*` globs.
 */
export function filterMismatch(target: Target, definition: Pick<SignalDefinition, 'agent' | 'filter'>): string | null {
  const outside = agentMismatch(target.agent, definition);
  if (outside !== null) return outside;
  const f = definition.filter;
  if (!f) return null;
  if (f.span_name && !matchesAny(target.meta.spanName, f.span_name)) return `span name "${target.meta.spanName ?? ''}" does not match the filter`;
  if (f.model && !matchesAny(target.meta.model, f.model)) return `model "${target.meta.model ?? ''}" does not match the filter`;
  const n = target.messages.length;
  if (f.min_messages !== undefined && n < f.min_messages) return `${n} messages, fewer than ${f.min_messages}`;
  if (f.max_messages !== undefined && n > f.max_messages) return `${n} messages, more than ${f.max_messages}`;
  if (f.signals) {
    const types = reportSignals(reportOf(target)).map((s) => s.type);
    const ok = f.signals.some((g) => {
      const match = globMatcher(g);
      return types.some(match);
    });
    if (!ok) return `none of the built-in signals ${f.signals.join(', ')}`;
  }
  return null;
}
