import { Hono } from 'hono';
import { providerInfos } from '../custom/llm/providers.js';
import type { HttpConfig } from './config.js';

/**
 * `GET /v1/providers`: the operator's LLM providers a signal may name (name, base URL as origin and path, model,
 * priced), from the signals service when it runs, else from the HTTP config. Never a key or a key variable.
 */
export function providersRoutes(config: Pick<HttpConfig, 'providers' | 'signals'>): Hono {
  const r = new Hono();
  r.get('/providers', async (c) => c.json(config.signals ? await config.signals.api.providers() : providerInfos(config.providers)));
  return r;
}
