import { analyze } from '../core/index.js';
import type { SignalReport } from '../core/types.js';
import { toConversations, type FormatName } from '../formats/index.js';
import { triageFeatures, type ReportLike, type TriageFeatures } from './features.js';

/** One conversation ready for triage: its report, its features and the metadata carried from the input. */
export interface TriageInput {
  id: unknown;
  meta?: Record<string, unknown>;
  report: ReportLike;
  features: TriageFeatures;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A `{"id","report"}` line as written by `signals analyze` (it has a report and no messages). */
function isReportLine(record: unknown): record is { id?: unknown; report: ReportLike; meta?: unknown } {
  return isObject(record) && isObject(record.report) && record.messages === undefined && record.conversations === undefined;
}

/**
 * The triage inputs of one record: a report line is used as is (row features then count as zero);
 * anything else is converted by the formats module and analyzed. Throws the formats' errors on bad shapes.
 */
export function triageInputs(record: unknown, format?: FormatName): TriageInput[] {
  if (isReportLine(record)) {
    const meta = isObject(record.meta) ? record.meta : undefined;
    return [{ id: record.id ?? null, meta, report: record.report, features: triageFeatures(null, record.report) }];
  }
  return toConversations(record, format).map(({ id, messages, meta }) => {
    const report: SignalReport = analyze(messages);
    return { id, meta, report, features: triageFeatures(messages, report) };
  });
}

/** Leaf signal types present in a report, in report order. */
export function signalTypesOf(report: ReportLike): string[] {
  const groups = [
    ...Object.values(report.interaction_signals),
    ...Object.values(report.execution_signals),
    ...Object.values(report.environment_signals),
  ];
  return [...new Set(groups.flatMap((g) => g.signals.map((s) => s.signal_type)))];
}
