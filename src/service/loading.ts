import { agentsWithTarget, keyOf, sessionById, spansBySpanId, spansOfSessions, spansOfTraces, traceById, type SpanRow, type TargetKey } from '../store/traffic.js';
import type { Target, TargetKind } from '../custom/types.js';
import type { SignalDefinition } from '../custom/definition.js';
import { findSignal, versionDefinition } from '../store/signals.js';
import { ServiceError } from './api.js';
import type { ServiceContext } from './context.js';
import type { LabellingSignal, TimedTarget } from './labeller.js';
import { targetFromSpans } from './targets.js';

/**
 * The agent of a target named by id only: the one agent that has it, or a `conflict` error when several agents
 * sent that id (targets are identified within their agent); undefined when no agent has it.
 */
export async function resolveAgent(ctx: ServiceContext, kind: TargetKind, id: string): Promise<string | undefined> {
  const found = await agentsWithTarget(ctx.store, kind, id);
  if (found.length > 1) {
    throw new ServiceError('conflict', `Several agents have a ${kind} "${id}" (${found.join(', ')}${found.length >= 10 ? ', …' : ''}): name one with agent`);
  }
  return found[0];
}

/**
 * A stored target rebuilt from its spans, with its traffic time; undefined when it is not stored (or pruned). Without
 * `agent`, the one agent that has this id (see `resolveAgent`).
 */
export async function loadTarget(ctx: ServiceContext, kind: TargetKind, id: string, agent?: string): Promise<TimedTarget | undefined> {
  const owner = agent ?? (await resolveAgent(ctx, kind, id));
  if (owner === undefined) return undefined;
  const key: TargetKey = { agent: owner, id };
  let ref: TargetKey & { at?: number; revision: number };
  if (kind === 'span') ref = { ...key, revision: 1 };
  else {
    const row = kind === 'trace' ? await traceById(ctx.store, key) : await sessionById(ctx.store, key);
    if (row === undefined) return undefined;
    ref = { ...key, at: row.endMs, revision: row.revision };
  }
  const [loaded] = await loadTargets(ctx, kind, [ref]);
  return loaded;
}

/** A signal by ref at its current version, or a `not_found` error. */
export async function loadSignal(ctx: ServiceContext, ref: string, version?: number): Promise<LabellingSignal> {
  const row = await findSignal(ctx.store, ref);
  if (row === undefined) throw new ServiceError('not_found', `No signal "${ref}" (give its id or name; see signals list)`);
  const v = version ?? row.version;
  const definition: SignalDefinition | undefined = await versionDefinition(ctx.store, row.id, v);
  if (definition === undefined) throw new ServiceError('not_found', `Signal "${row.name}" has no version ${v}`);
  return { row, version: v, definition };
}

/** Many stored targets of one kind at once (one query for their spans), in the order of `refs`; missing ones are left out. */
export async function loadTargets(
  ctx: ServiceContext,
  kind: TargetKind,
  refs: (TargetKey & { at?: number; revision: number })[],
): Promise<TimedTarget[]> {
  let spansBy: Map<string, SpanRow[]>;
  if (kind === 'trace') spansBy = await spansOfTraces(ctx.store, refs);
  else if (kind === 'session') spansBy = await spansOfSessions(ctx.store, refs);
  else spansBy = await spansBySpanId(ctx.store, refs);
  const out: TimedTarget[] = [];
  for (const ref of refs) {
    const rows = spansBy.get(keyOf(ref.agent, ref.id));
    if (rows === undefined || rows.length === 0) continue;
    // A span named by id alone: its traffic time is its end.
    out.push({ target: targetFromSpans(kind, ref.id, rows, ref.revision), at: ref.at ?? rows[0].endMs });
  }
  return out;
}
