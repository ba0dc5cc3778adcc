/** Email alert channels through the service, over the SMTP server SIGNALS_SMTP_URL names (a local smtp-server). */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { smtpSenderFromEnv } from '../../src/service/alerts-smtp.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let smtp: SMTPServer;
let port: number;
const mails: { from: string; to: string[]; data: string }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-alerts-email-'));
  store = await openStore({ url: join(dir, 'signals.db') });
  mails.length = 0;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  port = (smtp.server.address() as AddressInfo).port;
});
afterEach(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('sends the firing email from SIGNALS_SMTP_FROM and stores the delivery', async () => {
  let clock = T0;
  const sendEmail = smtpSenderFromEnv({ SIGNALS_SMTP_URL: `smtp://127.0.0.1:${port}`, SIGNALS_SMTP_FROM: 'signals@alerts.test', SIGNALS_OUTBOUND_ALLOW: '127.0.0.1' });
  const service = createSignalsService(store, { now: () => clock, alerts: { sendEmail } });
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  const alert = await service.api.createAlert({
    name: 'refund-volume',
    signal: 'refund-span',
    metric: 'value_count',
    value: 'yes',
    comparison: 'above',
    threshold: 1,
    window: '5m',
    channels: [{ type: 'email', to: ['oncall@alerts.test'] }],
  });
  await service.ingest([1, 2].flatMap((i) => turn({ traceId: `e${i}`, at: T0 + i * 1000, user: 'refund please' })));
  clock = T0 + 60_000;
  expect((await service.tick(clock)).alerts).toEqual({ evaluations: 1, transitions: 1, notifications: 1, deliveries: 1, errors: 0 });
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatchObject({ from: 'signals@alerts.test', to: ['oncall@alerts.test'] });
  expect(mails[0].data).toContain('Subject: [signals] FIRING: refund-volume. value_count{yes} 2 (above 1) over');
  expect(mails[0].data).toContain('Value:     2 (2 labels)');
  const deliveries = (await service.api.alertHistory(alert.id)).filter((h) => h.type === 'delivery');
  expect(deliveries).toEqual([
    {
      type: 'delivery',
      at: new Date(clock).toISOString(),
      channel: 'email[0]',
      channelType: 'email',
      kind: 'firing',
      status: 'sent',
      attempts: 1,
      httpStatus: null,
      error: null,
      lastAttemptAt: new Date(clock).toISOString(),
      nextAttemptAt: null,
    },
  ]);
});

it('an email channel without an SMTP server is a failed delivery, and the evaluation is stored', async () => {
  let clock = T0;
  const service = createSignalsService(store, { now: () => clock });
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  const alert = await service.api.createAlert({ name: 'v', signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [{ type: 'email', to: ['a@alerts.test'] }] });
  await service.ingest(turn({ traceId: 'x1', at: T0 + 1000, user: 'hi' }));
  clock = T0 + 60_000;
  await service.tick(clock);
  const history = await service.api.alertHistory(alert.id);
  // A configuration problem is not retried: failed after one attempt.
  expect(history.map((h) => (h.type === 'delivery' ? [h.status, h.attempts, h.error] : [h.from, h.to]))).toEqual([
    ['failed', 1, 'email needs an SMTP sender (Node only: createSmtpSender)'],
    ['ok', 'firing'],
  ]);
});
