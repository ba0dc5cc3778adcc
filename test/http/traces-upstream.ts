/** A local OTLP/HTTP receiver standing in for the backend behind SIGNALS_FORWARD_URL, with scripted misbehaviour. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the upstream received. */
export interface Received {
  url?: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How the upstream answers the next requests. */
export type UpstreamMode =
  | { kind: 'answer'; status: number; contentType: string; body: Uint8Array | string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'stall-after-headers' }
  | { kind: 'break-off' };

/** A running upstream. */
export interface Upstream {
  url: string;
  received: Received[];
  mode: UpstreamMode;
  close(): Promise<void>;
}

/** Starts the upstream on 127.0.0.1 (free port); it answers `{}` as JSON until `mode` is changed. */
export async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = {
    url: '',
    received: [],
    mode: { kind: 'answer', status: 200, contentType: 'application/json', body: '{}' },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      upstream.received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      const mode = upstream.mode;
      if (mode.kind === 'hang') return;
      if (mode.kind === 'answer') {
        res.writeHead(mode.status, { 'content-type': mode.contentType, ...mode.headers });
        res.end(mode.body);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partialSucc');
      if (mode.kind === 'break-off') setTimeout(() => res.destroy(), 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return upstream;
}
