/** Langfuse's OTel SDK path `/api/public/otel/v1/traces`: the same receiver as `/v1/traces`, behind the same token. */
import { describe, expect, it } from 'vitest';
import { createApp, configFromEnv } from '../../src/http/app.js';

const EXPORT = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'weather' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              name: 'OpenAI.chat',
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000001000000000',
              attributes: [
                { key: 'langfuse.observation.type', value: { stringValue: 'generation' } },
                { key: 'langfuse.observation.input', value: { stringValue: '[{"role":"user","content":"hi"}]' } },
                { key: 'langfuse.observation.output', value: { stringValue: '{"role":"assistant","content":"hello"}' } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const post = (app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(EXPORT) });

const basic = (user: string, secret: string) => `Basic ${btoa(`${user}:${secret}`)}`;

describe('Langfuse OTel path', () => {
  it('answers an export as /v1/traces does', async () => {
    const app = createApp(configFromEnv({}));
    const alias = await post(app, '/api/public/otel/v1/traces?echo=1');
    const plain = await post(app, '/v1/traces?echo=1');
    expect(alias.status).toBe(200);
    expect(await alias.json()).toEqual(await plain.json());
  });

  it('takes the API token as the Langfuse secret key (Basic auth) or as a Bearer token, and nothing else', async () => {
    const app = createApp(configFromEnv({ SIGNALS_API_TOKEN: 'tok-123' }));
    expect((await post(app, '/api/public/otel/v1/traces', { authorization: basic('pk-lf-any', 'tok-123') })).status).toBe(200);
    expect((await post(app, '/api/public/otel/v1/traces', { authorization: 'Bearer tok-123' })).status).toBe(200);
    const wrong = await post(app, '/api/public/otel/v1/traces', { authorization: basic('pk-lf-any', 'sk-lf-other') });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('tok-123');
    expect((await post(app, '/api/public/otel/v1/traces')).status).toBe(401);
    expect((await post(app, '/api/public/otel/v1/traces', { authorization: 'Basic !!!' })).status).toBe(400);
    // Basic auth stays a Langfuse-path convenience: /v1 takes the Bearer token only.
    expect((await post(app, '/v1/traces', { authorization: basic('pk', 'tok-123') })).status).toBe(400);
  });

  it('keeps the body limit', async () => {
    const app = createApp(configFromEnv({ SIGNALS_MAX_BODY_BYTES: '100' }));
    expect((await post(app, '/api/public/otel/v1/traces')).status).toBe(413);
  });
});
