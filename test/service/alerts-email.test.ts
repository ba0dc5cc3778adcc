/** Email alert channels through the service, over the SMTP server SIGNALS_SMTP_URL names (a local smtp-server). */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { smtpSenderFromEnv } from '../../src/service/alerts-smtp.js';
import { createSignalsService } from '../../src/service/service.js';
import { alertById, updateAlertRow } from '../../src/store/alerts.js';
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

/** The service's SMTP settings against the local server, with `extra` settings. */
const smtpEnv = (extra: Record<string, string> = {}) => ({
  SIGNALS_SMTP_URL: `smtp://127.0.0.1:${port}`,
  SIGNALS_SMTP_FROM: 'Signals <signals@alerts.test>',
  SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
  ...extra,
});
const serviceWith = (env: Record<string, string>, clock: () => number) => createSignalsService(store, { env, now: clock, alerts: { sendEmail: smtpSenderFromEnv(env) } });
const volumeAlert = (name: string, channel: Record<string, unknown>) => ({ name, signal: 'refund-span', metric: 'volume', comparison: 'above', threshold: 0, window: '5m', channels: [channel] });

it("the sender is the operator's: a caller's from is refused naming SIGNALS_SMTP_FROM, and an alert stored with one sends from the setting", async () => {
  let clock = T0;
  const service = serviceWith(smtpEnv(), () => clock);
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  const spoofed = { type: 'email', to: ['oncall@alerts.test'], from: 'ceo@bank.example' };
  await expect(service.api.createAlert(volumeAlert('spoof', spoofed) as never)).rejects.toMatchObject({
    code: 'invalid',
    details: ['channels[0]: from: the sender is the operator\'s setting SIGNALS_SMTP_FROM; an alert channel may not choose it (remove "from")'],
  });
  const alert = await service.api.createAlert(volumeAlert('stored-before', { type: 'email', to: ['oncall@alerts.test'] }) as never);
  await expect(service.api.editAlert(alert.id, { channels: [spoofed] })).rejects.toMatchObject({ code: 'invalid' });
  // An alert stored before the sender was the operator's alone still carries a caller's `from`: it is not used.
  const row = (await alertById(store, alert.id))!;
  const rule = row.rule as { channels: Record<string, unknown>[] };
  await updateAlertRow(store, row.id, { name: row.name, signalId: row.signalId, rule: { ...rule, channels: [{ ...rule.channels[0], from: 'ceo@bank.example' }] } }, T0);
  expect((await service.api.listAlerts())[0].rule).toMatchObject({ channels: [{ type: 'email', to: ['oncall@alerts.test'] }] });
  expect(JSON.stringify((await service.api.listAlerts())[0].rule)).not.toContain('ceo@bank.example');
  // Editing it leaves the stored sender behind rather than refusing a field the caller did not send.
  expect((await service.api.editAlert(alert.id, { threshold: 0 })).changes).toEqual([]);
  await service.ingest(turn({ traceId: 's1', at: T0 + 1000, user: 'refund please' }));
  clock = T0 + 60_000;
  expect((await service.tick(clock)).alerts).toMatchObject({ deliveries: 1, errors: 0 });
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatchObject({ from: 'signals@alerts.test', to: ['oncall@alerts.test'] });
  expect(mails[0].data).toContain('From: Signals <signals@alerts.test>');
  expect(mails[0].data).not.toContain('bank.example');
});

it('SIGNALS_SMTP_TO: recipients outside the listed addresses and domains are refused at creation and not mailed at delivery', async () => {
  let clock = T0;
  const wide = serviceWith(smtpEnv({ SIGNALS_SMTP_TO: 'alerts.test, Boss@Partner.test' }), () => clock);
  await wide.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  for (const [to, refused] of [
    [['someone@elsewhere.test'], 'someone@elsewhere.test'],
    [['oncall@alerts.test', 'a@sub.alerts.test'], 'a@sub.alerts.test'],
    [['other@partner.test'], 'other@partner.test'],
  ] as const) {
    await expect(wide.api.createAlert(volumeAlert('relay', { type: 'email', to }) as never)).rejects.toMatchObject({
      code: 'invalid',
      details: [expect.stringMatching(new RegExp(`^channels\\[0\\]\\.to\\[\\d\\]: recipient ${refused.replaceAll('.', '\\.')} is not one SIGNALS_SMTP_TO lists`))],
    });
  }
  const kept = await wide.api.createAlert(volumeAlert('kept', { type: 'email', to: ['OnCall@Alerts.TEST'] }) as never);
  const narrowed = await wide.api.createAlert(volumeAlert('narrowed', { type: 'email', to: ['oncall@alerts.test', 'boss@partner.test'] }) as never);
  // The operator narrows the list afterwards: the stored alert's delivery fails, nothing goes to the dropped address.
  const narrow = serviceWith(smtpEnv({ SIGNALS_SMTP_TO: 'alerts.test' }), () => clock);
  await narrow.ingest(turn({ traceId: 'r1', at: T0 + 1000, user: 'refund please' }));
  clock = T0 + 60_000;
  await narrow.tick(clock);
  // Only the kept alert's mail (the SMTP client writes the domain in lower case).
  expect(mails.map((m) => m.to)).toEqual([['OnCall@alerts.test']]);
  const deliveries = async (id: string) => (await narrow.api.alertHistory(id)).filter((h) => h.type === 'delivery').map((h) => (h.type === 'delivery' ? [h.status, h.error] : []));
  expect(await deliveries(kept.id)).toEqual([['sent', null]]);
  expect(await deliveries(narrowed.id)).toEqual([
    ['failed', 'recipient boss@partner.test is not one SIGNALS_SMTP_TO lists (the addresses and domains the operator lets email channels send to)'],
  ]);
});
