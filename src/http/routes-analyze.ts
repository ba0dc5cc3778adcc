import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { parseFormatParam, parseGroupParam, recordConversations, reportLine, windowOf } from './analyze.js';
import { detectFormat } from '../formats/index.js';
import { META_ECHOING_FORMATS } from '../records/analyze-record.js';
import { batchItems, batchLines, NDJSON_TYPES } from './batch.js';
import type { HttpConfig } from './config.js';
import { ApiError } from './errors.js';
import { parseJson, readBodyText, requireMediaType } from './request.js';

/**
 * `POST /analyze` (one conversation; `?include=messages` adds the converted rows) and `POST /analyze/batch` (NDJSON
 * out, one line per conversation). Both analyze the last `?max_messages=` rows (default SIGNALS_MAX_MESSAGES, `all`
 * for every row), as the CLI's `--max-messages` does.
 */
export function analyzeRoutes(config: HttpConfig): Hono {
  const routes = new Hono();

  routes.post('/analyze', async (c) => {
    requireMediaType(c, ['application/json']);
    const format = parseFormatParam(c.req.query('format'));
    const window = windowOf(c.req.query('max_messages'), config.maxMessages);
    const group = parseGroupParam(c.req.query('group'));
    const body = parseJson(await readBodyText(c, config.maxBodyBytes));
    const { conversations, warnings } = recordConversations(body, format, { group });
    if (conversations.length !== 1) {
      throw new ApiError(
        400,
        'bad_request',
        `Expected one conversation, the body holds ${conversations.length}; use /v1/analyze/batch for several` +
          (warnings.length > 0 ? ` (${warnings.length} GenAI span(s) without readable messages: ${warnings.slice(0, 5).map((w) => w.name).join(', ')})` : ''),
      );
    }
    let line = reportLine(conversations[0], window, c.req.query('include') === 'messages');
    // As on the CLI and /batch: tau and trace records carry reward, task id, agent, session and trace ids in meta.
    const { meta } = conversations[0];
    if (meta !== undefined && META_ECHOING_FORMATS.has(format ?? detectFormat(body))) line = `${line.slice(0, -1)},"meta":${JSON.stringify(meta)}}`;
    // GenAI spans that gave no message are said, never silently dropped (count, then the first names).
    const unreadable = { 'signals-unreadable-genai-spans': String(warnings.length), 'signals-unreadable-genai-span-names': [...new Set(warnings.map((w) => encodeURIComponent(w.name)))].slice(0, 5).join(',') };
    return c.body(line, 200, { 'content-type': 'application/json; charset=utf-8', ...unreadable });
  });

  routes.post('/analyze/batch', async (c) => {
    const type = requireMediaType(c, [...NDJSON_TYPES, 'application/json']);
    const format = parseFormatParam(c.req.query('format'));
    const { maxMessages, maxRows } = windowOf(c.req.query('max_messages'), config.maxMessages);
    const settings = { format, group: parseGroupParam(c.req.query('group')), analyzeOptions: { maxMessages }, keepReports: false, maxRows };
    // Parse errors of a JSON array surface here, before the 200 status is committed.
    const items = batchItems(await readBodyText(c, config.maxBodyBytes), type !== 'application/json');
    const signal = c.req.raw.signal;
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    return stream(c, async (out) => {
      for (const item of items) {
        // A client that went away gets nothing more: stop analyzing its batch.
        if (signal.aborted || out.aborted) return;
        for (const line of batchLines(item, settings)) await out.write(`${line}\n`);
      }
    });
  });

  return routes;
}
