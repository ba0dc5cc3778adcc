import { Hono } from 'hono';
import { TestRequestError, testSignalRequest } from '../custom/test-request.js';
import { errorResponse } from './errors.js';
import { parseJson, requireMediaType } from './request.js';
import type { Providers } from '../custom/llm/providers.js';
import { MemoryUsageLedger, type UsageLedger } from '../custom/llm/budget.js';

/**
 * `POST /v1/signals/test` with the conversations in the body (`{definition | template, conversations, sample}`):
 * classifies them now and stores nothing, so it works without a store. A body without `conversations` is left
 * to the store-backed signals routes (targets from stored traffic) when those are mounted. LLM judges call only
 * the operator's `providers`; `env` carries the outbound allow list (`HttpConfig.judgeEnv`); `ledger` is where their
 * spend is booked against the provider's day cap (the service's, on its clock `now`, when one is mounted).
 */
export function customRoutes(options: { storeRoutes: boolean; providers: Providers; env?: Record<string, string | undefined>; ledger?: UsageLedger; now?: () => number }): Hono {
  const r = new Hono();
  // Spend is booked against the provider's day cap like every LLM call: on the service's ledger (every replica's),
  // else on this app's own.
  const ledger = options.ledger ?? new MemoryUsageLedger();
  r.post('/signals/test', async (c, next) => {
    requireMediaType(c, ['application/json']);
    const body = parseJson(await c.req.text());
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorResponse(c, 400, 'bad_request', 'Request body must be a JSON object');
    if (!('conversations' in body) && options.storeRoutes) return next();
    try {
      return c.json(await testSignalRequest(body as Record<string, unknown>, { env: options.env ?? {}, providers: options.providers, ledger, owners: {}, now: options.now }));
    } catch (error) {
      if (!(error instanceof TestRequestError)) throw error;
      return c.json({ error: { code: 'invalid', message: error.message, details: error.problems } }, 400);
    }
  });
  return r;
}
