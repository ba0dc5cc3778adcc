import { describe, expect, it } from 'vitest';
import { parseSmtpUrl, smtpSenderFromEnv } from './alerts-smtp.js';

describe('SIGNALS_SMTP_URL', () => {
  it('reads host, port, TLS mode, credentials and the self-signed switch', () => {
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toEqual({ host: '127.0.0.1', port: 2525, secure: false, user: undefined, pass: undefined, from: undefined, allowSelfSigned: false });
    expect(parseSmtpUrl('smtps://alerts%40ex.test:p%2Fw@mail.ex.test?allow_self_signed=1', 'Signals <s@ex.test>')).toEqual({
      host: 'mail.ex.test',
      port: 465,
      secure: true,
      user: 'alerts@ex.test',
      pass: 'p/w',
      from: 'Signals <s@ex.test>',
      allowSelfSigned: true,
    });
    expect(parseSmtpUrl('smtp://mail.ex.test').port).toBe(587);
  });

  it('fails naming the variable on anything else', () => {
    expect(() => parseSmtpUrl('mail.ex.test:25')).toThrow('SIGNALS_SMTP_URL must start with smtp:// or smtps://, got mail.ex.test:');
    expect(() => parseSmtpUrl('not a url')).toThrow('SIGNALS_SMTP_URL is not a URL (expected smtp://user:pass@host:587 or smtps://host:465)');
    expect(() => parseSmtpUrl('https://ex.test')).toThrow('must start with smtp:// or smtps://');
  });

  it('configures no sender without the variable', () => {
    expect(smtpSenderFromEnv({})).toBeUndefined();
    expect(smtpSenderFromEnv({ SIGNALS_SMTP_URL: ' ' })).toBeUndefined();
    expect(typeof smtpSenderFromEnv({ SIGNALS_SMTP_URL: 'smtp://127.0.0.1:2525' })).toBe('function');
  });
});
