import type { SignalReport } from '../core/types.js';

/**
 * Receives every analyzed conversation in input order, besides the JSONL output: the shape of the OTLP file
 * writer of `src/otel/otlp-out.ts`, so `--otlp-out` plugs in without an adapter.
 */
export interface ReportConsumer {
  write(id: unknown, report: SignalReport, meta?: Readonly<Record<string, unknown>>): void;
  close(): Promise<void>;
}
