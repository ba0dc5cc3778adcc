import type { Context } from 'hono';

/** Sets a header on the response after the handler ran; a response whose headers are immutable (a `fetch` answer passed through) is copied first. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}
