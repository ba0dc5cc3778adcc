/** Email over SMTP with nodemailer. Node only: import it from `agent-signals/alerts/email`, never from Workers. */
import nodemailer from 'nodemailer';
import type { SendEmail } from './deliver.js';
import { checkDestination, NO_ALLOW, type OutboundAllow } from '../../outbound/policy.js';

/** SMTP server settings. */
export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** The sender of every alert email: the operator's (`SIGNALS_SMTP_FROM`); a channel never chooses it. */
  from?: string;
  /** Accept a self-signed certificate (local test servers). */
  allowSelfSigned?: boolean;
  /** The outbound allow list: a private or loopback SMTP host must be listed (`SIGNALS_OUTBOUND_ALLOW`). */
  allow?: OutboundAllow;
}

/** A `SendEmail` over one pooled SMTP transport. */
export function createSmtpSender(options: SmtpOptions): SendEmail {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    auth: options.user ? { user: options.user, pass: options.pass ?? '' } : undefined,
    tls: options.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  const destination = new URL(`https://${options.host.includes(':') ? `[${options.host}]` : options.host}`);
  return async (message) => {
    // The SMTP server passes the same policy as every other outbound call (https stands in for the scheme check).
    await checkDestination(destination, { allow: options.allow ?? NO_ALLOW });
    await transport.sendMail({
      from: options.from ?? 'agent-signals <signals@localhost>',
      to: message.to.join(', '),
      subject: message.subject,
      text: message.text,
    });
  };
}
