import type { FormatName } from '../formats/index.js';
import { conversationsOf, reportLine } from './analyze.js';
import { ApiError, errorBody } from './errors.js';
import { parseJson } from './request.js';

/** Media types accepted by `POST /v1/analyze/batch` for JSON Lines input. */
export const NDJSON_TYPES: readonly string[] = ['application/x-ndjson', 'application/jsonl', 'application/ndjson'];

/** One batch input: a parsed record, or the error that made its line unreadable. */
type BatchItem = { record: unknown } | { error: ApiError };

/**
 * Splits a batch body into items. A JSON array must parse as a whole (a broken array has no recoverable
 * items, so it fails the request with 400); JSON Lines are parsed one line at a time so that one bad line
 * becomes one error line. Blank lines are skipped, as JSONL readers conventionally do.
 */
export function batchItems(text: string, jsonLines: boolean): Iterable<BatchItem> {
  if (!jsonLines) {
    const parsed = parseJson(text);
    if (!Array.isArray(parsed)) {
      throw new ApiError(400, 'bad_request', 'A JSON batch must be an array of conversations; send JSON Lines as application/x-ndjson');
    }
    return parsed.map((record) => ({ record }));
  }
  return jsonLineItems(text);
}

function* jsonLineItems(text: string): Generator<BatchItem> {
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (line.trim() === '') continue;
    try {
      yield { record: parseJson(line, `Line ${lineNo}`) };
    } catch (err) {
      yield { error: err as ApiError };
    }
  }
}

/**
 * The output lines for one batch item: one report line per conversation it holds (one for every format
 * except an OTLP export carrying several conversations), or one `{"id","error"}` line. Unexpected failures become
 * `internal_error` lines without details, so a bug in one conversation never aborts the stream.
 */
export function batchLines(item: BatchItem, format: FormatName | undefined, maxMessages: number): string[] {
  if ('error' in item) return [errorLine(null, item.error)];
  const id = idOf(item.record);
  try {
    const conversations = conversationsOf(item.record, format);
    // Keep one line per input even for a record with nothing to analyze (an OTLP export without GenAI spans).
    if (conversations.length === 0) throw new ApiError(400, 'invalid_conversation', 'The record holds no conversation');
    return conversations.map((conversation) => {
      try {
        return reportLine(conversation, maxMessages);
      } catch (err) {
        return errorLine(conversation.id ?? null, err);
      }
    });
  } catch (err) {
    return [errorLine(id, err)];
  }
}

function idOf(record: unknown): unknown {
  return typeof record === 'object' && record !== null && !Array.isArray(record) && 'id' in record ? record.id : null;
}

function errorLine(id: unknown, err: unknown): string {
  // Operators need the stack of an unexpected failure; the client only gets the code.
  if (!(err instanceof ApiError)) console.error(err);
  const body = err instanceof ApiError ? errorBody(err.code, err.message) : errorBody('internal_error', 'Analysis failed');
  return JSON.stringify({ id: id ?? null, ...body });
}
