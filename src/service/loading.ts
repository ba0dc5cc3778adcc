import { sessionById, sessionSpans, spanById, spansBySpanId, spansOfSessions, spansOfTraces, traceById, traceSpans, type SpanRow } from '../store/traffic.js';
import type { Target, TargetKind } from '../custom/types.js';
import type { SignalDefinition } from '../custom/definition.js';
import { findSignal, versionDefinition } from '../store/signals.js';
import { ServiceError } from './api.js';
import type { ServiceContext } from './context.js';
import type { LabellingSignal, TimedTarget } from './labeller.js';
import { targetFromSpans } from './targets.js';

/** A stored target rebuilt from its spans, with its traffic time; undefined when it is not stored (or pruned). */
export async function loadTarget(ctx: ServiceContext, kind: TargetKind, id: string): Promise<TimedTarget | undefined> {
  const { store } = ctx;
  let rows: SpanRow[];
  let revision: number;
  let at: number;
  if (kind === 'span') {
    const row = await spanById(store, id);
    if (row === undefined) return undefined;
    rows = [row];
    revision = 1;
    at = row.endMs;
  } else if (kind === 'trace') {
    const trace = await traceById(store, id);
    if (trace === undefined) return undefined;
    rows = await traceSpans(store, id);
    revision = trace.revision;
    at = trace.endMs;
  } else {
    const session = await sessionById(store, id);
    if (session === undefined) return undefined;
    rows = await sessionSpans(store, id);
    revision = session.revision;
    at = session.endMs;
  }
  if (rows.length === 0) return undefined;
  const target: Target = targetFromSpans(kind, id, rows, revision);
  return { target, at };
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
  refs: { id: string; at: number; revision: number }[],
): Promise<TimedTarget[]> {
  let spansBy: Map<string, SpanRow[]>;
  if (kind === 'trace') spansBy = await spansOfTraces(ctx.store, refs.map((r) => r.id));
  else if (kind === 'session') spansBy = await spansOfSessions(ctx.store, refs.map((r) => r.id));
  else spansBy = await spansBySpanId(ctx.store, refs.map((r) => r.id));
  const out: TimedTarget[] = [];
  for (const ref of refs) {
    const rows = spansBy.get(ref.id);
    if (rows !== undefined && rows.length > 0) out.push({ target: targetFromSpans(kind, ref.id, rows, ref.revision), at: ref.at });
  }
  return out;
}
