import { describe, expect, it } from 'vitest';
import { parseSmtpFrom, parseSmtpUrl, smtpSenderFromEnv } from './alerts-smtp.js';

describe('SIGNALS_SMTP_URL', () => {
  it('reads host, port, TLS mode, credentials and the self-signed switch', () => {
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toEqual({ host: '127.0.0.1', port: 2525, secure: false, user: undefined, pass: undefined, allowSelfSigned: false });
    expect(parseSmtpUrl('smtps://alerts%40ex.test:p%2Fw@mail.ex.test?allow_self_signed=1')).toEqual({
      host: 'mail.ex.test',
      port: 465,
      secure: true,
      user: 'alerts@ex.test',
      pass: 'p/w',
      allowSelfSigned: true,
    });
    expect(parseSmtpUrl('smtp://mail.ex.test').port).toBe(587);
  });

  it('fails naming the variable on anything else', () => {
    expect(() => parseSmtpUrl('mail.ex.test:25')).toThrow('SIGNALS_SMTP_URL must start with smtp:// or smtps://, got mail.ex.test:');
    expect(() => parseSmtpUrl('not a url')).toThrow('SIGNALS_SMTP_URL is not a URL (expected smtp://user:pass@host:587 or smtps://host:465)');
    expect(() => parseSmtpUrl('https://ex.test')).toThrow('must start with smtp:// or smtps://');
  });

  it('SIGNALS_SMTP_FROM is an address, bare or with a display name; anything else stops the start naming it', () => {
    expect(parseSmtpFrom(undefined)).toBeUndefined();
    expect(parseSmtpFrom(' ')).toBeUndefined();
    expect(parseSmtpFrom('signals@ex.test')).toBe('signals@ex.test');
    expect(parseSmtpFrom(' Signals <signals@ex.test> ')).toBe('Signals <signals@ex.test>');
    for (const bad of ['signals', 'Signals <signals>', 'a@ex.test, b@ex.test', 'Signals <a@ex.test>\r\nBcc: b@ex.test']) {
      expect(() => parseSmtpFrom(bad)).toThrow('SIGNALS_SMTP_FROM is not an email address (expected signals@example.com or Signals <signals@example.com>)');
    }
    expect(() => smtpSenderFromEnv({ SIGNALS_SMTP_URL: 'smtp://127.0.0.1:2525', SIGNALS_SMTP_FROM: 'nobody' })).toThrow('SIGNALS_SMTP_FROM');
  });

  it('SIGNALS_SMTP_TO lists addresses and domains; an entry that is neither stops the start naming its position', () => {
    expect(smtpSenderFromEnv({ SIGNALS_SMTP_TO: 'oncall@ex.test, @Ops.Ex.Test ,partner.test' })).toBeUndefined();
    for (const bad of ['oncall@ex.test,*', 'oncall@ex.test, https://ex.test', 'oncall@ex.test,a@b@c.test']) {
      expect(() => smtpSenderFromEnv({ SIGNALS_SMTP_TO: bad })).toThrow('SIGNALS_SMTP_TO entry 2 is neither an email address nor a domain name (expected oncall@example.com or example.com)');
    }
  });

  it('configures no sender without the variable', () => {
    expect(smtpSenderFromEnv({})).toBeUndefined();
    expect(smtpSenderFromEnv({ SIGNALS_SMTP_URL: ' ' })).toBeUndefined();
    expect(typeof smtpSenderFromEnv({ SIGNALS_SMTP_URL: 'smtp://127.0.0.1:2525' })).toBe('function');
  });
});
