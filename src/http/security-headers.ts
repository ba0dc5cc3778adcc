import type { MiddlewareHandler } from 'hono';
import { setResponseHeader } from './set-header.js';

const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;
const policies = new Map<string, string>();

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The Content-Security-Policy of one HTML page: nothing from elsewhere, requests to this origin only, no framing,
 * and only the page's own inline scripts (by hash), so injected markup cannot run script.
 */
async function policyOf(html: string): Promise<string> {
  let policy = policies.get(html);
  if (policy === undefined) {
    const hashes = await Promise.all([...html.matchAll(INLINE_SCRIPT)].map(async (m) => `'sha256-${await sha256Base64(m[1])}'`));
    policy = [
      "default-src 'none'",
      `script-src 'self' ${hashes.join(' ')}`.trim(),
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
    // Pages are a handful of static strings; the cache stays small.
    if (policies.size < 64) policies.set(html, policy);
  }
  return policy;
}

/**
 * An SVG answer (a chart, the icon) opened directly is a document of this origin, where a script could use the
 * dashboard's saved token: none runs, whatever a chart's text holds.
 */
const SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/**
 * `X-Content-Type-Options: nosniff` on every answer; on HTML pages also a CSP with `frame-ancestors 'none'` and no
 * referrer; on SVG answers a CSP that runs no script.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setResponseHeader(c, 'X-Content-Type-Options', 'nosniff');
    const type = c.res.headers.get('content-type') ?? '';
    if (type.startsWith('image/svg+xml')) setResponseHeader(c, 'Content-Security-Policy', SVG_POLICY);
    if (!type.startsWith('text/html')) return;
    setResponseHeader(c, 'Content-Security-Policy', await policyOf(await c.res.clone().text()));
    setResponseHeader(c, 'X-Frame-Options', 'DENY');
    setResponseHeader(c, 'Referrer-Policy', 'no-referrer');
  };
}
