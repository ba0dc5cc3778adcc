import { analyzeParsedRecord, analyzeRecord, recordText, type RecordOutcome, type RecordSettings } from '../records/analyze-record.js';
import { ApiError, errorBody, type ErrorCode } from './errors.js';
import { parseJson } from './request.js';

/** Media types accepted by `POST /v1/analyze/batch` for JSON Lines input. */
export const NDJSON_TYPES: readonly string[] = ['application/x-ndjson', 'application/jsonl', 'application/ndjson'];

/** One batch input: a JSON Lines record's text (`line N`), or an already parsed JSON array element (`item N`). */
export type BatchItem = { line: number; text: string } | { item: number; record: unknown };

/**
 * Splits a batch body into items. A JSON array must parse as a whole (a broken array has no recoverable
 * items, so it fails the request with 400); JSON Lines are read one line at a time so that one bad line
 * becomes one error line. Blank lines are skipped, with the CLI's notion of blank.
 */
export function batchItems(text: string, jsonLines: boolean): Iterable<BatchItem> {
  if (!jsonLines) {
    const parsed = parseJson(text);
    if (!Array.isArray(parsed)) {
      throw new ApiError(400, 'bad_request', 'A JSON batch must be an array of conversations; send JSON Lines as application/x-ndjson');
    }
    return parsed.map((record, i) => ({ item: i + 1, record }));
  }
  return jsonLineItems(text);
}

function* jsonLineItems(text: string): Generator<BatchItem> {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const record = recordText(text.slice(start, end));
    if (record !== '') yield { line, text: record };
    start = end + 1;
  }
}

/**
 * The output lines for one batch item, from the per-record function the CLI uses too (same parsing, same ids,
 * same report lines): one report line per conversation, or one `{"id","error":{"code","message"}}` line whose
 * message starts with the item's place (`line 3: …`). A record holding no conversation (an OTLP export without
 * GenAI spans) still gets a line. An unexpected failure is logged and sent without details.
 */
export function batchLines(item: BatchItem, settings: RecordSettings): string[] {
  const outcome: RecordOutcome = 'text' in item ? analyzeRecord(item.text, settings) : analyzeParsedRecord(item.record, undefined, settings);
  const where = 'text' in item ? `line ${item.line}` : `item ${item.item}`;
  if (!outcome.ok) {
    if (outcome.code === 'internal_error') {
      console.error(`batch ${where}: ${outcome.message}`);
      return [errorLine(outcome.id, 'internal_error', `${where}: analysis failed`)];
    }
    return [errorLine(outcome.id, outcome.code, `${where}: ${outcome.message}`)];
  }
  if (outcome.lines.length === 0) return [errorLine(null, 'invalid_conversation', `${where}: the record holds no conversation`)];
  return outcome.lines;
}

function errorLine(id: unknown, code: ErrorCode, message: string): string {
  return JSON.stringify({ id: id ?? null, ...errorBody(code, message) });
}
