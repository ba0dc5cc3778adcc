/** Stored label rows (the service's `LabelRow`) as the alert evaluator reads them. */
import type { AlertLabel } from './metric.js';

/** The fields of a stored label an alert reads. */
export interface StoredLabelLike {
  /** ISO 8601 traffic time of the target. */
  at: string;
  status: AlertLabel['status'];
  value: string | null;
  /** A label replaced by a later one (new revision or version) is not counted twice. */
  superseded?: boolean;
}

/** Converts stored rows, dropping superseded ones; throws naming the row on an unreadable time. */
export function alertLabelsFromRows(rows: readonly StoredLabelLike[]): AlertLabel[] {
  const out: AlertLabel[] = [];
  rows.forEach((row, i) => {
    if (row.superseded) return;
    const at = Date.parse(row.at);
    if (Number.isNaN(at)) throw new RangeError(`label row ${i}: "at" is not an ISO time (${JSON.stringify(row.at)})`);
    out.push({ labelledAt: at, value: row.value, status: row.status });
  });
  return out;
}
