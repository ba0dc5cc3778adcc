import type { UnreadableSpan } from '../formats/index.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { OtlpShapeError } from '../otlp/path.js';
import { decodeExportTraceRequest } from '../otlp/proto-decode.js';
import type { ExportTraceRequestJson } from '../otlp/types.js';
import { validateExport, type RejectedSpan, type ValidatedExport } from '../otlp/validate.js';
import { ApiError } from './errors.js';
import { parseOtlpJson } from './otlp-json.js';
import { readExport } from './traces.js';

/** The two OTLP/HTTP encodings; the answer (and a forwarded export) uses the request's. */
export type Encoding = 'json' | 'protobuf';

/** An OTLP shape error as the 400 of `POST /v1/traces`. */
function shapeError(err: unknown, what: string): unknown {
  return err instanceof OtlpShapeError ? new ApiError(400, 'invalid_otlp', `Malformed ${what} at ${err.message}`) : err;
}

/**
 * The export body decoded and validated: OTLP/JSON parsed without losing int64 precision, or OTLP/protobuf decoded;
 * spans with problems are dropped and counted, a malformed export or one without any good span is a 400.
 */
export function decodeTraceBody(bytes: Uint8Array, encoding: Encoding): { request: ExportTraceRequestJson; rejected: RejectedSpan[] } {
  let result: ValidatedExport;
  try {
    result = encoding === 'json' ? parseOtlpJson(bytes, validateExport) : validateExport(decodeProtobuf(bytes));
  } catch (err) {
    throw shapeError(err, 'OTLP export');
  }
  if (result.acceptedSpans === 0 && result.rejected.length > 0) {
    throw new ApiError(400, 'invalid_otlp', `No valid span in the export; first problem at ${result.rejected[0].message}`);
  }
  return { request: result.request, rejected: result.rejected };
}

function decodeProtobuf(bytes: Uint8Array): unknown {
  try {
    return decodeExportTraceRequest(bytes);
  } catch (err) {
    throw shapeError(err, 'OTLP/protobuf');
  }
}

/** What `POST /v1/traces` keeps of an export it stores and answers without echoing it: its spans as read, and what it says of the rest. */
export interface ReadTraceBody {
  /** The spans as the store takes them. */
  spans: CapturedSpan[];
  /** GenAI spans whose messages could not be read (named in the answer). */
  warnings: UnreadableSpan[];
  /** Spans validation dropped (counted in the answer). */
  rejected: RejectedSpan[];
}

/** An export body decoded, validated and read in one call (on this thread); errors are the route's `ApiError`s. */
export function readTraceBody(bytes: Uint8Array, encoding: Encoding): ReadTraceBody {
  const { request, rejected } = decodeTraceBody(bytes, encoding);
  const read = readExport(request);
  return { spans: read.spans, warnings: read.warnings, rejected };
}

/**
 * Reads export bodies somewhere other than the event loop (a worker thread on Node): the same result and the same
 * `ApiError`s as {@link readTraceBody}, so the loop answers health checks and reads while a multi-MB export is parsed.
 */
export interface TraceBodyReader {
  read(bytes: Uint8Array, encoding: Encoding): Promise<ReadTraceBody>;
  /** Stops its threads. */
  close(): Promise<void>;
}
