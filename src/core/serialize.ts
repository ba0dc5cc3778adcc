import { formatF32 } from './format.js';
import type { MetadataValue, SignalGroup, SignalReport } from './types.js';

/** Metadata keys whose numbers are f32 values, printed as floats (`1.0`, `0.8500000238418579`). */
const FLOAT_KEYS = new Set(['similarity', 'upper_ratio', 'efficiency_score']);

function value(v: MetadataValue, float: boolean): string {
  if (typeof v === 'number') return float ? formatF32(v) : String(v);
  if (Array.isArray(v)) return `[${v.map((x) => value(x, false)).join(',')}]`;
  if (v !== null && typeof v === 'object') return serializeMetadata(v);
  return JSON.stringify(v);
}

/** Compact JSON of a signal's metadata, keys in their order, f32 values as the reference prints them. */
export function serializeMetadata(metadata: Record<string, MetadataValue>): string {
  const parts: string[] = [];
  for (const key in metadata) parts.push(`${JSON.stringify(key)}:${value(metadata[key], FLOAT_KEYS.has(key))}`);
  return `{${parts.join(',')}}`;
}

function group(g: SignalGroup): string {
  const signals = g.signals.map(
    (s) =>
      `{"signal_type":"${s.signal_type}","message_index":${s.message_index},"snippet":${JSON.stringify(s.snippet)},` +
      `"confidence":${formatF32(s.confidence)},"metadata":${serializeMetadata(s.metadata)}}`,
  );
  return `{"category":"${g.category}","count":${g.count},"severity":${g.severity},"signals":[${signals.join(',')}]}`;
}

/** The report as the reference's compact replay JSON, byte for byte (spec §13); `quality_score` and `turn_metrics` are left out. */
export function serializeReport(report: SignalReport): string {
  const i = report.interaction_signals;
  return (
    `{"interaction_signals":{"misalignment":${group(i.misalignment)},"stagnation":${group(i.stagnation)},` +
    `"disengagement":${group(i.disengagement)},"satisfaction":${group(i.satisfaction)}},` +
    `"execution_signals":{"failure":${group(report.execution_signals.failure)},"loops":${group(report.execution_signals.loops)}},` +
    `"environment_signals":{"exhaustion":${group(report.environment_signals.exhaustion)}},` +
    `"overall_quality":"${report.overall_quality}","summary":${JSON.stringify(report.summary)}}`
  );
}

/** One output line `{"id":…,"report":…}` (no newline); an undefined id is written as null. */
export function serializeReportLine(id: unknown, report: SignalReport): string {
  return `{"id":${JSON.stringify(id) ?? 'null'},"report":${serializeReport(report)}}`;
}
