import { sessionById, sessionSpans, spanById, traceById, traceSpans, type SpanRow } from '../store/traffic.js';
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
