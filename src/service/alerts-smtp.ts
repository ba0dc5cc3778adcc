/**
 * The SMTP server for email alert channels on Node, from `SIGNALS_SMTP_URL`
 * (`smtp://user:pass@host:587`, `smtps://host:465` for TLS from the start; `?allow_self_signed=1` for a local
 * test server), the sender of every alert email `SIGNALS_SMTP_FROM` and the optional recipient list
 * `SIGNALS_SMTP_TO`: all three the operator's, never a channel's. Node only: it loads nodemailer.
 */
import { parseRecipientList, type SendEmail } from '../alerts/index.js';
import { createSmtpSender, type SmtpOptions } from '../alerts/notify/email.js';
import { outboundAllowFromEnv } from '../outbound/policy.js';

/** Reads an SMTP URL; throws naming the variable on anything else. */
export function parseSmtpUrl(text: string): SmtpOptions {
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
    allowSelfSigned: flag === '1' || flag === 'true',
  };
}

/** `SIGNALS_SMTP_FROM` (`signals@example.com` or `Signals <signals@example.com>`), or undefined when unset; throws naming it otherwise. */
export function parseSmtpFrom(text: string | undefined): string | undefined {
  const value = text?.trim() ?? '';
  if (value === '') return undefined;
  const address = /^[^<>\r\n]*<([^<>\s]+)>$/.exec(value)?.[1] ?? value;
  if (!/^[^\s@<>",]+@[^\s@<>",]+$/.test(address)) {
    throw new Error('SIGNALS_SMTP_FROM is not an email address (expected signals@example.com or Signals <signals@example.com>)');
  }
  return value;
}

/**
 * The email sender the environment configures, or undefined without `SIGNALS_SMTP_URL`. A malformed setting
 * throws naming its variable, so the service stops at start instead of failing every delivery.
 */
export function smtpSenderFromEnv(env: Record<string, string | undefined>): SendEmail | undefined {
  parseRecipientList(env.SIGNALS_SMTP_TO);
  const from = parseSmtpFrom(env.SIGNALS_SMTP_FROM);
  const url = env.SIGNALS_SMTP_URL;
  if (url === undefined || url.trim() === '') return undefined;
  return createSmtpSender({ ...parseSmtpUrl(url.trim()), from, allow: outboundAllowFromEnv(env) });
}
