/**
 * Requests Node's HTTP parser or the Hono adapter refuse before the app sees them (a header line without a colon, a
 * control character in a header, a request line that is no request line, 20 KB of headers, a `Host` that is no host
 * name, a target that is no path, a body slower than the request timeout): each answers its 4xx with the JSON error
 * body every other error has, not an empty one. Raw sockets, since a client library would not send these.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';

let server: NodeServer;
let port: number;
beforeAll(async () => {
  server = await startNodeServer(configFromEnv({ SIGNALS_API_TOKEN: 'tok-malformed' }), 0, '127.0.0.1', { headersTimeoutMs: 300, requestTimeoutMs: 800 });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

/** Writes `request` on a raw connection and resolves with everything the server sent once it closed or answered in full. */
function send(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    const complete = () => {
      const head = answer.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(answer.slice(0, head));
      return head >= 0 && length !== null && Buffer.byteLength(answer.slice(head + 4)) >= Number(length[1]);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (complete()) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within 5 s; got ${JSON.stringify(answer)}`));
    }, 5000);
  });
}

function parse(answer: string): { status: number; type: string; body: unknown } {
  const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const type = /\r\ncontent-type: *([^\r]*)/i.exec(head)?.[1] ?? '';
  let text = answer.slice(head.length + 4);
  // A chunked body: its chunks' data, in order.
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) text = [...text.matchAll(/([0-9a-f]+)\r\n([\s\S]*?)\r\n/gi)].map((m) => m[2]).join('');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status, type, body };
}

const CASES: Array<[string, number, string]> = [
  ['a header line without a colon', 400, 'GET /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\n\r\n'],
  ['a control character in a header value', 400, 'GET /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Name: a\x01b\r\n\r\n'],
  ['a request line that is none', 400, 'GARBAGE\r\n\r\n'],
  ['Content-Length and Transfer-Encoding together', 400, 'POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['20 KB of headers', 431, `GET /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`],
  ['a query string of 20 KB', 431, `GET /v1/agents?${'x'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`],
  ['a Host that is no host name', 400, 'GET /v1/agents HTTP/1.1\r\nHost: [::1\r\n\r\n'],
  ['a Host with a space', 400, 'GET /v1/agents HTTP/1.1\r\nHost: a b\r\n\r\n'],
  ['an HTTP/1.1 request without Host (the token check answers)', 401, 'GET /v1/agents HTTP/1.1\r\nConnection: close\r\n\r\n'],
  ['a target that is no path', 400, 'GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ['a body slower than the request timeout', 408, 'POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer tok-malformed\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'],
];

describe('malformed HTTP requests', () => {
  it.each(CASES)('%s: %i with a JSON error body', async (_, status, request) => {
    const answer = parse(await send(request));
    expect(answer.status, JSON.stringify(answer)).toBe(status);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('still answers a well-formed request after them', async () => {
    const answer = parse(await send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    expect([answer.status, answer.body]).toEqual([200, { status: 'ok' }]);
  });
});
