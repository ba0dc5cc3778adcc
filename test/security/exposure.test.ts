// A token-less server on a network interface: the Host check stops a browser's DNS rebinding, not a network client
// (which sends `Host: localhost` itself), so without a token and without the operator's deliberate
// SIGNALS_ALLOWED_HOSTS the server refuses to listen anywhere but loopback.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/app.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';

let running: NodeServer | undefined;

/** The status of a GET sent to the server's port on 127.0.0.1 with the given Host header (as any network client can). */
function statusWithHost(url: string, path: string, host: string): Promise<number> {
  const port = Number(new URL(url.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('listening beyond loopback', () => {
  it.each(['0.0.0.0', '::'])('without a token or SIGNALS_ALLOWED_HOSTS, %s is refused with what to set', async (host) => {
    await expect(startNodeServer(configFromEnv({}), 0, host)).rejects.toThrow(/SIGNALS_API_TOKEN.*SIGNALS_ALLOWED_HOSTS/s);
  });

  it('a spoofed Host header is all a network client would need, so the refusal is needed', async () => {
    // What the refusal prevents, shown on loopback: a client that says `Host: localhost` passes the Host check.
    running = await startNodeServer(configFromEnv({}), 0, '127.0.0.1');
    expect(await statusWithHost(running.url, '/v1/agents', 'signals.example.com')).toBe(403);
    expect(await statusWithHost(running.url, '/v1/signal-types', 'localhost')).toBe(200);
  });

  it.each([
    ['a token', { SIGNALS_API_TOKEN: 'tok-1' }],
    ['SIGNALS_ALLOWED_HOSTS', { SIGNALS_ALLOWED_HOSTS: 'signals.internal' }],
  ])('with %s, 0.0.0.0 is the operator\'s choice and starts', async (_, env) => {
    running = await startNodeServer(configFromEnv(env), 0, '0.0.0.0');
    expect(await statusWithHost(running.url, '/healthz', 'signals.internal')).toBe(200);
  });

  it.each(['127.0.0.1', 'localhost', '::1'])('loopback (%s) needs neither', async (host) => {
    running = await startNodeServer(configFromEnv({}), 0, host).catch((err: NodeJS.ErrnoException) => {
      // A machine without IPv6 loopback cannot bind ::1; that is not the check under test.
      if (err.code === 'EADDRNOTAVAIL') return undefined;
      throw err;
    });
  });
});
