import type { RecordUnit } from '../batch.js';

/** What reading an input yields, in input order: raw records to analyze, or a record that could not even be read. */
export type SourcePiece =
  | { kind: 'records'; unit: RecordUnit; first: number; bytes: Buffer }
  | { kind: 'unreadable'; unit: RecordUnit; number: number; message: string };
