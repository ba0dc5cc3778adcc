/**
 * The SMTP server for email alert channels on Node, from `SIGNALS_SMTP_URL`
 * (`smtp://user:pass@host:587`, `smtps://host:465` for TLS from the start; `?allow_self_signed=1` for a local
 * test server) and `SIGNALS_SMTP_FROM` (default sender). Node only: it loads nodemailer.
 */
import type { SendEmail } from '../alerts/index.js';
import { createSmtpSender, type SmtpOptions } from '../alerts/notify/email.js';
import { outboundAllowFromEnv } from '../outbound/policy.js';

/** Reads an SMTP URL; throws naming the variable on anything else. */
export function parseSmtpUrl(text: string, from?: string): SmtpOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The value is not echoed: it may hold the password.
    throw new Error('SIGNALS_SMTP_URL is not a URL (expected smtp://user:pass@host:587 or smtps://host:465)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SIGNALS_SMTP_URL must start with smtp:// or smtps://, got ${url.protocol}`);
  if (url.hostname === '') throw new Error('SIGNALS_SMTP_URL has no host');
  const secure = url.protocol === 'smtps:';
  const flag = url.searchParams.get('allow_self_signed');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    pass: url.password === '' ? undefined : decodeURIComponent(url.password),
    from: from === undefined || from === '' ? undefined : from,
    allowSelfSigned: flag === '1' || flag === 'true',
  };
}

/** The email sender the environment configures, or undefined without `SIGNALS_SMTP_URL`. */
export function smtpSenderFromEnv(env: Record<string, string | undefined>): SendEmail | undefined {
  const url = env.SIGNALS_SMTP_URL;
  if (url === undefined || url.trim() === '') return undefined;
  return createSmtpSender({ ...parseSmtpUrl(url.trim(), env.SIGNALS_SMTP_FROM), allow: outboundAllowFromEnv(env) });
}
