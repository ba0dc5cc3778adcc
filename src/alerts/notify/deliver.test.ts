import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../state.js';
import { deliveryBackoff, sendNotification } from './deliver.js';
import { createSmtpSender } from './email.js';
import { parseOutboundAllow } from '../../outbound/policy.js';

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** A local receiver: records every request and answers from a queue (then 200). */
async function receiver() {
  const hits: Hit[] = [];
  const replies: Reply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const r = replies.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(r.status, r.headers);
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits, replies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const AT = Date.parse('2026-12-01T12:00:00Z');
const firing: AlertNotification = {
  kind: 'firing',
  repeat: false,
  alert: 'frustration up',
  signal: 'frustration',
  metric: 'true_rate',
  labelValue: null,
  comparison: 'above',
  threshold: 0.3,
  window: '1h',
  value: 0.425,
  labels: 40,
  at: AT,
  activeSince: AT - 600_000,
};

let rx: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  rx = await receiver();
});
afterAll(() => rx.close());
beforeEach(() => {
  rx.hits.length = 0;
  rx.replies.length = 0;
});

// The receivers listen on loopback: the operator lists it, as a deployment would list its internal receivers.
const LOCAL = { SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' };

describe('sendNotification', () => {
  it('posts a Slack Block Kit message with signal, metric, value, threshold, window and the dashboard link', async () => {
    const outcome = await sendNotification(firing, { type: 'slack', url: `${rx.url}/slack` }, { env: LOCAL, dashboardUrl: 'http://127.0.0.1:8787/' });
    expect(outcome).toEqual({ status: 'sent', retry: false, error: null, httpStatus: 200, retryAfterSeconds: null });
    const body = JSON.parse(rx.hits[0].body);
    expect(body.text).toBe('FIRING: frustration up. true_rate 42.5% (above 30%) over 1h on frustration');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🔴 FIRING: frustration up', emoji: true } });
    expect(body.blocks[1].fields.map((f: { text: string }) => f.text)).toEqual([
      '*Signal*\nfrustration',
      '*Metric*\ntrue_rate',
      '*Value*\n42.5% (40 labels)',
      '*Threshold*\nabove 30%',
      '*Window*\n1h',
      '*Since*\n2026-12-01T11:50:00.000Z',
    ]);
    expect(body.blocks[2]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in dashboard' }, url: 'http://127.0.0.1:8787/signals/frustration' }],
    });
  });

  it('signs the webhook body with HMAC-SHA256 of the configured secret', async () => {
    await sendNotification(firing, { type: 'webhook', name: 'ops', url: `${rx.url}/hook`, secret_env: 'HOOK_SECRET' }, {
      env: { ...LOCAL, HOOK_SECRET: 's3cret', SIGNALS_CHANNEL_VARS: 'HOOK_SECRET' },
    });
    const [hit] = rx.hits;
    const expected = `sha256=${createHmac('sha256', 's3cret').update(hit.body).digest('hex')}`;
    expect(hit.headers['x-signals-signature']).toBe(expected);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hit.body)).toEqual({
      type: 'alert.firing',
      repeat: false,
      alert: 'frustration up',
      signal: 'frustration',
      metric: 'true_rate',
      label_value: null,
      comparison: 'above',
      threshold: 0.3,
      window: '1h',
      value: 0.425,
      labels: 40,
      at: '2026-12-01T12:00:00.000Z',
      active_since: '2026-12-01T11:50:00.000Z',
      summary: 'FIRING: frustration up. true_rate 42.5% (above 30%) over 1h on frustration',
      link: null,
    });
  });

  it('says which failures are worth another attempt, with Retry-After seconds, never the body', async () => {
    rx.replies.push({ status: 500, body: 'internal secret stack' }, { status: 503, headers: { 'retry-after': '7' } }, { status: 404, body: 'no such hook' }, { status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' } });
    const send = () => sendNotification(firing, { type: 'webhook', url: `${rx.url}/hook` }, { env: LOCAL });
    expect(await send()).toEqual({ status: 'failed', retry: true, error: 'HTTP 500', httpStatus: 500, retryAfterSeconds: null });
    expect(await send()).toEqual({ status: 'failed', retry: true, error: 'HTTP 503', httpStatus: 503, retryAfterSeconds: 7 });
    expect(await send()).toEqual({ status: 'failed', retry: false, error: 'HTTP 404', httpStatus: 404, retryAfterSeconds: null });
    // An HTTP-date Retry-After is not trusted to the receiver's clock: the backoff applies.
    expect(await send()).toMatchObject({ retry: true, httpStatus: 429, retryAfterSeconds: null });
    expect(rx.hits).toHaveLength(4);
    // No secret configured: no signature header.
    expect(rx.hits[0].headers['x-signals-signature']).toBeUndefined();
  });

  it('backs off 10 s, 40 s, 160 s, ... up to 30 minutes, or as long as Retry-After says (within the cap)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => deliveryBackoff(n, null))).toEqual([10_000, 40_000, 160_000, 640_000, 1_800_000, 1_800_000]);
    expect(deliveryBackoff(1, 7)).toBe(7000);
    expect(deliveryBackoff(1, 86_400)).toBe(1_800_000);
    expect(deliveryBackoff(2, null, 100)).toBe(400);
  });

  it('a refused, unreachable or misconfigured channel is a failed attempt with a fixed reason', async () => {
    const dead = await receiver();
    await dead.close(); // nothing listens there any more
    const env = { ...LOCAL, NOPE: 'set but not listed' };
    expect(await sendNotification(firing, { type: 'webhook', name: 'dead', url: `${dead.url}/hook` }, { env })).toMatchObject({
      status: 'failed',
      retry: true,
      error: 'request failed: network error (ECONNREFUSED)',
    });
    expect(await sendNotification(firing, { type: 'webhook', url: `${rx.url}/a`, secret_env: 'NOPE' }, { env })).toMatchObject({
      retry: false,
      error: 'secret_env NOPE: not available to alert channels (the operator lists channel variables in SIGNALS_CHANNEL_VARS and sets them)',
    });
    expect(await sendNotification(firing, { type: 'email', to: ['ops@example.test'] }, { env })).toMatchObject({
      retry: false,
      error: 'email needs an SMTP sender (Node only: createSmtpSender)',
    });
    // Loopback not listed by the operator: refused before any request, and not retried.
    expect(await sendNotification(firing, { type: 'slack', url: `${rx.url}/slack` }, {})).toMatchObject({ status: 'failed', retry: false });
    expect(rx.hits).toHaveLength(0);
  });

  it('times out a receiver that never answers', async () => {
    const slow = createServer(() => {});
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
    expect(await sendNotification(firing, { type: 'webhook', url }, { env: LOCAL, timeoutMs: 100 })).toMatchObject({
      status: 'failed',
      retry: true,
      error: 'timed out after 100 ms',
    });
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  });
});

describe('email over SMTP (local smtp-server)', () => {
  const mails: Array<{ from: string; to: string[]; data: string }> = [];
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@refused.test')) {
          const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
          return callback(err);
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the summary as subject and the fields as text', async () => {
    const sendEmail = createSmtpSender({ host: '127.0.0.1', port, from: 'signals@example.test', allow: parseOutboundAllow('127.0.0.1') });
    const resolved: AlertNotification = { ...firing, kind: 'resolved', value: 0.1 };
    const outcome = await sendNotification(resolved, { type: 'email', to: ['ops@example.test', 'lead@example.test'] }, {
      sendEmail,
      dashboardUrl: 'http://127.0.0.1:8787',
    });
    expect(outcome).toMatchObject({ status: 'sent', error: null });
    expect(mails).toHaveLength(1);
    expect(mails[0].from).toBe('signals@example.test');
    expect(mails[0].to).toEqual(['ops@example.test', 'lead@example.test']);
    const unfolded = mails[0].data.replace(/\r\n[ \t]/g, ' ');
    expect(unfolded).toContain('Subject: [signals] RESOLVED: frustration up. true_rate 10% (above 30%) over 1h on frustration');
    expect(mails[0].data).toContain('Value:     10% (40 labels)');
    expect(mails[0].data).toContain('Dashboard: http://127.0.0.1:8787/signals/frustration');
  });

  it('records a refused recipient as failed without retrying (SMTP 5xx is permanent)', async () => {
    const sendEmail = createSmtpSender({ host: '127.0.0.1', port, allow: parseOutboundAllow('127.0.0.1') });
    expect(await sendNotification(firing, { type: 'email', to: ['x@refused.test'] }, { sendEmail })).toEqual({
      status: 'failed',
      retry: false,
      error: 'SMTP server answered 550',
      httpStatus: null,
      retryAfterSeconds: null,
    });
  });
});
