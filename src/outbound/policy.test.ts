import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, parseIp } from './address.js';
import { NO_ALLOW, OutboundError, outboundFetch, parseOutboundAllow, urlProblem } from './policy.js';

describe('urlProblem: schemes, credentials and address classes', () => {
  it.each([
    ['file:///etc/passwd', /scheme "file:"/],
    ['data:text/plain,hello', /scheme "data:"/],
    ['gopher://127.0.0.1:25/_HELO', /scheme "gopher:"/],
    ['javascript:alert(1)', /scheme "javascript:"/],
    ['ftp://example.com/x', /scheme "ftp:"/],
    ['https://user:pass@example.com/hook', /credentials in the URL/],
    ['https://token@example.com/hook', /credentials in the URL/],
    ['http://example.com/hook', /http is allowed only to destinations in SIGNALS_OUTBOUND_ALLOW/],
  ])('refuses %s', (url, reason) => {
    expect(urlProblem(url, NO_ALLOW)).toMatch(reason);
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['https://[fd00:ec2::254]/', 'a cloud metadata address'],
    ['https://100.100.100.200/', 'a cloud metadata address'],
    ['https://127.0.0.1/', 'a loopback address'],
    ['https://127.1/', 'a loopback address'],
    ['https://0x7f000001/', 'a loopback address'],
    ['https://2130706433/', 'a loopback address'],
    ['https://0177.0.0.1/', 'a loopback address'],
    ['https://[::1]/', 'a loopback address'],
    ['https://[::ffff:127.0.0.1]/', 'a loopback address'],
    ['https://[::ffff:7f00:1]/', 'a loopback address'],
    ['https://[64:ff9b::7f00:1]/', 'a loopback address'],
    ['https://[2002:7f00:1::]/', 'a loopback address'],
    ['https://10.0.0.1/', 'a private address'],
    ['https://172.16.5.4/', 'a private address'],
    ['https://192.168.1.1/', 'a private address'],
    ['https://100.64.0.1/', 'a private address'],
    ['https://[fc00::1]/', 'a private address'],
    ['https://169.254.1.1/', 'a link-local address'],
    ['https://[fe80::1]/', 'a link-local address'],
    ['https://0.0.0.0/', 'an unspecified address'],
    ['https://[::]/', 'an unspecified address'],
    ['https://224.0.0.1/', 'a multicast address'],
    // Forms that carry an IPv4 address a gateway may translate to (local-use NAT64, Teredo, SIIT), and documentation ranges.
    ['https://[64:ff9b:1::a00:1]/', 'a reserved address'],
    ['https://[2001::ffff:80ff:fffe]/', 'a reserved address'],
    ['https://[::ffff:0:7f00:1]/', 'a reserved address'],
    ['https://[2001:db8::1]/', 'a reserved address'],
    ['https://192.0.2.1/', 'a reserved address'],
    ['https://203.0.113.9/', 'a reserved address'],
    ['https://localhost/', 'a local name'],
    ['https://api.localhost/', 'a local name'],
    ['https://metadata.google.internal/', 'a local name'],
  ])('refuses %s as %s unless listed', (url, kind) => {
    expect(urlProblem(url, NO_ALLOW)).toBe(`destination is ${kind} (list it in SIGNALS_OUTBOUND_ALLOW to allow it)`);
  });

  it('allows https to public addresses, and listed hosts and ranges over http too', () => {
    expect(urlProblem('https://hooks.slack.com/services/T/B/X', NO_ALLOW)).toBeNull();
    expect(urlProblem('https://93.184.216.34/', NO_ALLOW)).toBeNull();
    const allow = parseOutboundAllow('127.0.0.1, 10.0.0.0/8, llm.internal, ::1');
    expect(urlProblem('http://127.0.0.1:11434/v1', allow)).toBeNull();
    expect(urlProblem('http://0x7f000001:11434/v1', allow)).toBeNull();
    expect(urlProblem('http://10.1.2.3/v1', allow)).toBeNull();
    expect(urlProblem('http://LLM.internal/v1', allow)).toBeNull();
    expect(urlProblem('http://[::1]/v1', allow)).toBeNull();
    // Listing one address does not list its neighbours.
    expect(urlProblem('http://127.0.0.2/', allow)).toMatch(/loopback/);
    expect(urlProblem('http://169.254.169.254/', allow)).toMatch(/metadata/);
  });

  it('refuses a malformed allow list entry at start, naming it', () => {
    expect(() => parseOutboundAllow('127.0.0.1,http://x/')).toThrow('SIGNALS_OUTBOUND_ALLOW: "http://x/" is neither a host name nor an address or CIDR range');
    expect(() => parseOutboundAllow('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
  });

  it('classifies addresses by the IPv4 address an IPv6 one embeds', () => {
    expect(classify(parseIp('::ffff:10.0.0.1')!)).toBe('private');
    expect(classify(parseIp('::ffff:8.8.8.8')!)).toBe('public');
    expect(classify(parseIp('2606:4700::1111')!)).toBe('public');
    expect(parseIp('1.2.3')).toBeNull();
    expect(parseIp('example.com')).toBeNull();
  });
});

describe('outboundFetch', () => {
  const hits: string[] = [];
  let redirector: Server;
  let inside: Server;
  let redirectorUrl = '';
  let insideUrl = '';
  const listen = (server: Server, host: string) =>
    new Promise<string>((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));

  beforeAll(async () => {
    // The destination the operator did not list: a loopback address other than the listed 127.0.0.1.
    inside = createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('internal secret answer');
    });
    insideUrl = await listen(inside, '127.0.0.2');
    redirector = createServer((req, res) => {
      const to = req.url === '/to-inside' ? `${insideUrl}/steal` : req.url === '/loop' ? '/loop' : req.url === '/same' ? '/final' : null;
      if (to) res.writeHead(307, { location: to }).end();
      else res.end(`final ${req.headers.authorization ?? 'no-auth'}`);
    });
    redirectorUrl = await listen(redirector, '127.0.0.1');
  });
  afterAll(() => {
    inside.close();
    redirector.close();
  });

  const allow = parseOutboundAllow('127.0.0.1');

  it('follows a redirect on the listed host and refuses one to an unlisted loopback address, which is never reached', async () => {
    const ok = await outboundFetch(`${redirectorUrl}/same`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{}' }, { allow });
    expect(await ok.text()).toBe('final Bearer k');
    await expect(outboundFetch(`${redirectorUrl}/to-inside`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{}' }, { allow })).rejects.toThrow(
      new OutboundError('destination refused: destination is a loopback address (list it in SIGNALS_OUTBOUND_ALLOW to allow it)'),
    );
    expect(hits).toEqual([]);
  });

  it('drops Authorization when a redirect leaves the origin, and stops redirect loops', async () => {
    const both = parseOutboundAllow('127.0.0.1,127.0.0.2');
    await outboundFetch(`${redirectorUrl}/to-inside`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{}' }, { allow: both });
    expect(hits).toEqual(['POST /steal ']);
    await expect(outboundFetch(`${redirectorUrl}/loop`, { method: 'GET' }, { allow })).rejects.toThrow('request failed: more than 5 redirects');
  });

  it('refuses a host name that resolves to a private address, before connecting', async () => {
    let fetched = false;
    const fetchSpy = (async () => {
      fetched = true;
      return new Response('x');
    }) as unknown as typeof fetch;
    await expect(outboundFetch('https://rebind.example.com/v1', { method: 'GET' }, { allow: NO_ALLOW, fetch: fetchSpy, resolve: async () => ['93.184.216.34', '10.0.0.7'] })).rejects.toThrow(
      'destination refused: its host name resolves to a private address',
    );
    await expect(outboundFetch('https://nowhere.example.com/', { method: 'GET' }, { allow: NO_ALLOW, fetch: fetchSpy, resolve: async () => { throw new Error('ENOTFOUND nowhere'); } })).rejects.toThrow(
      'destination unreachable: its host name does not resolve',
    );
    expect(fetched).toBe(false);
  });

  it('reports a network failure by its code only', async () => {
    const closed = createServer();
    const url = await listen(closed, '127.0.0.1');
    await new Promise((r) => closed.close(r));
    await expect(outboundFetch(`${url}/x`, { method: 'GET' }, { allow })).rejects.toThrow(new OutboundError('request failed: network error (ECONNREFUSED)'));
  });
});
