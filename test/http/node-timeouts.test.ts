/** Slow clients: the Node server drops a request whose headers or body do not arrive in time (they held connections 78-328 s). */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { DEFAULT_NODE_TIMEOUTS, nodeTimeoutsFromEnv, startNodeServer, type NodeServer } from '../../src/http/node.js';

let server: NodeServer;
let port: number;
beforeAll(async () => {
  server = await startNodeServer(configFromEnv({}), 0, '127.0.0.1', { headersTimeoutMs: 300, requestTimeoutMs: 800 });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

/** Opens a raw connection, writes `start`, then `drip` once every 100 ms; resolves with what the server sent and when it closed. */
function slowClient(start: string, drip = ''): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(start));
    const timer = drip ? setInterval(() => socket.writable && socket.write(drip), 100) : undefined;
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: Date.now() - opened });
    });
    // Before the fix the server waited 60 s (headers) and 300 s (request): give up well before.
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`connection still open after 5 s; got ${JSON.stringify(answer)}`));
    }, 5000);
  });
}

describe('Node server timeouts', () => {
  it('answers 408 and closes when the headers never finish', async () => {
    const { answer, closedAfterMs } = await slowClient('POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it('answers 408 and closes when the body trickles in slower than the request timeout', async () => {
    const head = 'POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const { answer, closedAfterMs } = await slowClient(head, ' ');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(4000);
  });

  it('drops an answer the client stops reading for longer than the request timeout (a batch no longer holds its memory)', async () => {
    // 40,000 conversations: their report lines (~50 MB) overflow the socket buffers of both ends (a few MB on loopback).
    const line = JSON.stringify({ messages: [{ role: 'user', content: 'This is useless. Get me a human!!' }] });
    const body = Array.from({ length: 40_000 }, () => line).join('\n');
    // The server's end of the connection: it closes once the server gives up on the answer.
    const serverSide = new Promise<Socket>((resolve) => server.server.once('connection', resolve));
    const client: Socket = connect({ port, host: '127.0.0.1' }, () => {
      client.write(`POST /v1/analyze/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    client.on('error', () => undefined);
    try {
      // Reads the first bytes of the answer, then stops reading (and never resumes).
      const first = await new Promise<Buffer>((resolve) => client.once('data', resolve));
      client.pause();
      expect(first.toString('latin1')).toMatch(/^HTTP\/1\.1 200/);
      const socket = await serverSide;
      await new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        setTimeout(() => reject(new Error('the server still held the answer after 10 s')), 10_000);
      });
    } finally {
      client.destroy();
    }
  });

  it('reads the timeouts from the environment and refuses a bad value at start', () => {
    expect(nodeTimeoutsFromEnv({})).toEqual(DEFAULT_NODE_TIMEOUTS);
    expect(nodeTimeoutsFromEnv({ SIGNALS_HEADERS_TIMEOUT_MS: '500', SIGNALS_REQUEST_TIMEOUT_MS: ' 2000 ' })).toEqual({ headersTimeoutMs: 500, requestTimeoutMs: 2000 });
    expect(() => nodeTimeoutsFromEnv({ SIGNALS_REQUEST_TIMEOUT_MS: '10s' })).toThrow('SIGNALS_REQUEST_TIMEOUT_MS must be a positive integer');
  });
});
