import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { conversationsOf, parseFormatParam, reportLine } from './analyze.js';
import { batchItems, batchLines, NDJSON_TYPES } from './batch.js';
import type { HttpConfig } from './config.js';
import { ApiError } from './errors.js';
import { parseJson, readBodyText, requireMediaType } from './request.js';

/** `POST /analyze` (one conversation; `?include=messages` adds the converted rows) and `POST /analyze/batch` (NDJSON out, one line per conversation). */
export function analyzeRoutes(config: HttpConfig): Hono {
  const routes = new Hono();

  routes.post('/analyze', async (c) => {
    requireMediaType(c, ['application/json']);
    const format = parseFormatParam(c.req.query('format'));
    const conversations = conversationsOf(parseJson(await readBodyText(c, config.maxBodyBytes)), format);
    if (conversations.length !== 1) {
      throw new ApiError(
        400,
        'bad_request',
        `Expected one conversation, the body holds ${conversations.length}; use /v1/analyze/batch for several`,
      );
    }
    const line = reportLine(conversations[0], config.maxMessages, c.req.query('include') === 'messages');
    return c.body(line, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  routes.post('/analyze/batch', async (c) => {
    const type = requireMediaType(c, [...NDJSON_TYPES, 'application/json']);
    const format = parseFormatParam(c.req.query('format'));
    // Parse errors of a JSON array surface here, before the 200 status is committed.
    const items = batchItems(await readBodyText(c, config.maxBodyBytes), type !== 'application/json');
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    return stream(c, async (out) => {
      for (const item of items) {
        for (const line of batchLines(item, format, config.maxMessages)) await out.write(`${line}\n`);
      }
    });
  });

  return routes;
}
