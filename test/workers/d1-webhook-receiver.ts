// The webhook receiver of test/helpers/webhook-receiver.ts inside workerd, where a test cannot listen on a port: the
// service's outbound fetches to the receiver's URL (after the outbound policy let them through) are answered here,
// the same way the Node server answers them; any other fetch goes out unchanged.
import { vi } from 'vitest';

/** One request the receiver got. */
export interface Received {
  path: string;
  signature: string | undefined;
  body: string;
}

/** A running receiver: its base URL, what it received so far, and how to stop it. */
export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Starts a receiver: `/ok` answers 200 "ok", any other path 500 "down"; every request is kept. */
export async function receiver(): Promise<Receiver> {
  const received: Received[] = [];
  const url = `http://127.0.0.1:${20_000 + Math.floor(Math.random() * 40_000)}`;
  const real = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${url}/`)) return real(input, init);
    const path = request.url.slice(url.length);
    received.push({ path, signature: request.headers.get('x-signals-signature') ?? undefined, body: await request.text() });
    return path === '/ok' ? new Response('ok', { status: 200 }) : new Response('down', { status: 500 });
  });
  return { url, received, close: async () => spy.mockRestore() };
}
