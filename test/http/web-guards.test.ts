/** Browser-facing guards: security headers on HTML pages, CORS and OPTIONS on /v1/*, 405 with Allow, the token checked at start. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import type { HttpEnv } from '../../src/http/config.js';
import { PLAYGROUND_HTML } from '../../src/http/playground.js';

const appOf = (env: HttpEnv = {}) => createApp(configFromEnv(env));
const analyzeInit = (headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ messages: [{ from: 'human', value: 'hi' }] }),
});

describe('security headers', () => {
  it('the playground page gets nosniff, a CSP allowing only its own inline script, and no framing', async () => {
    const res = await appOf().request('/playground');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(PLAYGROUND_HTML)?.[1] ?? '';
    expect(script.length).toBeGreaterThan(100);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).not.toContain("'unsafe-inline' 'self' 'sha");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('SVG answers (the charts, the icon) get a CSP that runs no script: opened directly, an SVG is a document of this origin', async () => {
    const res = await appOf().request('/favicon.svg');
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
  });

  it('JSON answers get nosniff too', async () => {
    expect((await appOf().request('/healthz')).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('CORS on /v1/*', () => {
  const origin = 'https://app.example.com';

  it('answers a preflight from a configured origin without asking for the token', async () => {
    const app = appOf({ SIGNALS_CORS_ORIGINS: `${origin}, https://other.example.org`, SIGNALS_API_TOKEN: 'tok-1' });
    const res = await app.request('/v1/analyze', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    const real = await app.request('/v1/analyze', analyzeInit({ origin, authorization: 'Bearer tok-1' }));
    expect(real.status).toBe(200);
    expect(real.headers.get('access-control-allow-origin')).toBe(origin);
    expect(real.headers.get('vary')).toContain('Origin');
  });

  it('sends no allow-origin to an origin not listed, nor when no origin is configured', async () => {
    const listed = appOf({ SIGNALS_CORS_ORIGINS: origin });
    const evil = await listed.request('/v1/analyze', analyzeInit({ origin: 'https://evil.example.net' }));
    // Without a token, a POST from an origin not listed is refused outright (a browser would not have sent it).
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const none = await appOf().request('/v1/analyze', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(none.status).toBe(204);
    expect(none.headers.get('allow')).toBe('POST, OPTIONS');
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('* allows any origin; OPTIONS on an unknown path is 404', async () => {
    const app = appOf({ SIGNALS_CORS_ORIGINS: '*', SIGNALS_API_TOKEN: 'tok-1' });
    expect((await app.request('/v1/signal-types', { headers: { origin, authorization: 'Bearer tok-1' } })).headers.get('access-control-allow-origin')).toBe('*');
    expect((await app.request('/v1/nope', { method: 'OPTIONS' })).status).toBe(404);
  });

  it('refuses * without a token at start: every page the user opens could read the traffic from their browser', () => {
    expect(() => configFromEnv({ SIGNALS_CORS_ORIGINS: '*' })).toThrow(/SIGNALS_CORS_ORIGINS=\* needs SIGNALS_API_TOKEN/);
    expect(() => configFromEnv({ SIGNALS_CORS_ORIGINS: 'https://app.example.com, *' })).toThrow(/SIGNALS_API_TOKEN/);
    expect(configFromEnv({ SIGNALS_CORS_ORIGINS: 'https://app.example.com' }).corsOrigins).toEqual(['https://app.example.com']);
  });

  it('refuses a malformed origin list at start', () => {
    expect(() => configFromEnv({ SIGNALS_CORS_ORIGINS: 'app.example.com' })).toThrow('SIGNALS_CORS_ORIGINS must list origins');
  });
});

describe('405 for a wrong method on a known route', () => {
  it('answers 405 with Allow and the JSON error body', async () => {
    const app = appOf();
    const res = await app.request('/v1/analyze');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await res.json()).toEqual({ error: { code: 'method_not_allowed', message: 'GET is not allowed on /v1/analyze; use POST' } });
    const types = await app.request('/v1/signal-types', { method: 'POST' });
    expect(types.status).toBe(405);
    expect(types.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await app.request('/healthz', { method: 'DELETE' })).status).toBe(405);
    expect((await app.request('/v1/nope')).status).toBe(404);
    // A trailing slash is another path (Hono routes strictly): 404, not a 405 telling a GET to use GET.
    const slash = await app.request('/v1/signal-types/');
    expect([slash.status, ((await slash.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
  });
});

describe('bearer token', () => {
  it('a token outside the bearer charset fails at start with a clear error', () => {
    for (const bad of ['has space', 'tok"en', 'é-token', 'a=b']) {
      expect(() => configFromEnv({ SIGNALS_API_TOKEN: bad }), bad).toThrow('SIGNALS_API_TOKEN may hold only letters, digits');
    }
    expect(configFromEnv({ SIGNALS_API_TOKEN: ' abc-._~+/XYZ09== ' }).apiToken).toBe('abc-._~+/XYZ09==');
  });
});
