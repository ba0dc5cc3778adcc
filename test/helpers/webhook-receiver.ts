// A webhook receiver for the shared store suite: a real HTTP server on 127.0.0.1 on Node. The `d1` project (workerd,
// where a test cannot listen on a port) resolves this module to test/workers/d1-webhook-receiver.ts, which answers
// the service's outbound fetches to its URL instead; both keep every request and answer the same.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', signature: req.headers['x-signals-signature'] as string | undefined, body });
      res.statusCode = req.url === '/ok' ? 200 : 500;
      res.end(req.url === '/ok' ? 'ok' : 'down');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
