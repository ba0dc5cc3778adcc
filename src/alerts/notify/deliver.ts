/**
 * Sends a notification to one channel, one attempt at a time: the outcome is a status and a fixed reason, never a
 * response body. Stored deliveries are retried by the service's deliveries lane (src/service/deliveries.ts).
 */
import type { ChannelConfig } from '../rule.js';
import type { AlertNotification } from '../state.js';
import { dashboardLink, type EmailMessage, emailMessage, slackMessage, webhookBody } from './format.js';
import { signatureHeader } from './sign.js';
import { outboundAllowFromEnv, OutboundError, outboundFetch } from '../../outbound/policy.js';
import { channelVarProblem } from './channel-vars.js';
import { recipientProblem } from './recipients.js';

/** The outcome of one attempt to send a notification to one channel. */
export interface DeliveryAttempt {
  status: 'sent' | 'failed';
  /** Whether another attempt may succeed (a timeout, 408/429/5xx, a network error); false for a 4xx or a refusal. */
  retry: boolean;
  /** A fixed reason (`HTTP 500`, `timed out after 10000 ms`), never a response body. */
  error: string | null;
  /** The HTTP status of a webhook or Slack attempt, when there was an answer. */
  httpStatus: number | null;
  /** The receiver's `Retry-After` in seconds, when it gave one. */
  retryAfterSeconds: number | null;
}

/** Sends an email; on Node `createSmtpSender` (./email.js) provides one. */
export type SendEmail = (message: EmailMessage) => Promise<void>;

/** What delivery needs from its surroundings. */
export interface DeliverDeps {
  fetch?: typeof fetch;
  now?: () => number;
  /**
   * The service's environment: `url_env` / `secret_env` read only variables listed in `SIGNALS_CHANNEL_VARS`;
   * `SIGNALS_OUTBOUND_ALLOW` lists destinations allowed despite the outbound policy; `SIGNALS_SMTP_TO`, when set,
   * the only email recipients.
   */
  env?: Record<string, string | undefined>;
  sendEmail?: SendEmail;
  /** Base URL of the dashboard, for the link in messages. */
  dashboardUrl?: string;
  /** Attempts per delivery before it is recorded as failed (default 6). */
  maxAttempts?: number;
  /** Wait after the first failed attempt, multiplied by 4 after each further one (default 10 s; see `deliveryBackoff`). */
  retryBaseMs?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
}

/** Attempts per delivery unless `maxAttempts` says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 6;
/** Longest wait between two attempts. */
export const MAX_BACKOFF_MS = 30 * 60_000;

/**
 * Wait before attempt `attempt + 1` (attempt ≥ 1): the receiver's `Retry-After` seconds if it gave one, else
 * `baseMs` · 4^(attempt-1) (10 s, 40 s, 160 s, 640 s, ...), at most 30 minutes. With the defaults a dead channel
 * is tried 6 times over about 45 minutes.
 */
export function deliveryBackoff(attempt: number, retryAfterSeconds: number | null, baseMs = 10_000): number {
  return Math.min(retryAfterSeconds !== null ? retryAfterSeconds * 1000 : baseMs * 4 ** (attempt - 1), MAX_BACKOFF_MS);
}

/** `Retry-After` as seconds: the delay form only (an HTTP date is not trusted to the receiver's clock). */
function retryAfterOf(value: string | null): number | null {
  return value !== null && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : null;
}

async function post(url: string, body: string, headers: Record<string, string>, deps: DeliverDeps): Promise<DeliveryAttempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs ?? 10_000);
  try {
    const res = await outboundFetch(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: controller.signal },
      { allow: outboundAllowFromEnv(deps.env), fetch: deps.fetch },
    );
    // The body is drained, never recorded: it may be an internal endpoint's content or echo a secret.
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return SENT(res.status);
    const retry = res.status === 408 || res.status === 429 || res.status >= 500;
    return { status: 'failed', retry, error: `HTTP ${res.status}`, httpStatus: res.status, retryAfterSeconds: retryAfterOf(res.headers.get('retry-after')) };
  } catch (e) {
    if (controller.signal.aborted) return failed(`timed out after ${deps.timeoutMs ?? 10_000} ms`, true);
    if (e instanceof OutboundError) return failed(e.message, !e.message.startsWith('destination refused'));
    return failed('request failed', true);
  } finally {
    clearTimeout(timer);
  }
}

const SENT = (httpStatus: number | null): DeliveryAttempt => ({ status: 'sent', retry: false, error: null, httpStatus, retryAfterSeconds: null });
const failed = (error: string, retry: boolean): DeliveryAttempt => ({ status: 'failed', retry, error, httpStatus: null, retryAfterSeconds: null });

/** A channel's variable, or one fixed error that says neither whether it is set nor anything of its value. */
function secretFrom(env: DeliverDeps['env'], field: 'url_env' | 'secret_env', name: string): string | Error {
  const value = channelVarProblem(name, env) === null ? env?.[name] : undefined;
  return value ? value : new Error(`${field} ${name}: not available to alert channels (the operator lists channel variables in SIGNALS_CHANNEL_VARS and sets them)`);
}

/**
 * Makes one attempt to send `n` to `channel`. Never throws: a missing variable, a refused destination or an unexpected error is a failed attempt with a fixed reason.
 * Retrying is the caller's (the deliveries lane retries from the store, see `deliveryBackoff`).
 */
export async function sendNotification(n: AlertNotification, channel: ChannelConfig, deps: DeliverDeps = {}): Promise<DeliveryAttempt> {
  const link = dashboardLink(n, deps.dashboardUrl);
  try {
    if (channel.type === 'email') {
      const sendEmail = deps.sendEmail;
      if (!sendEmail) return failed('email needs an SMTP sender (Node only: createSmtpSender)', false);
      // Checked again at each attempt: the operator may have narrowed SIGNALS_SMTP_TO since the alert was stored.
      const refused = channel.to.map((address) => recipientProblem(address, deps.env)).find((p) => p !== null);
      if (refused) return failed(refused, false);
      try {
        await sendEmail(emailMessage(n, link, channel.to));
        return SENT(null);
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        // SMTP 5xx is permanent (bad recipient, refused); 4xx and connection errors are worth a retry. The server's
        // text is not recorded (it can echo the login); its code is.
        if (e instanceof OutboundError) return failed(`SMTP ${e.message}`, false);
        return failed(typeof code === 'number' ? `SMTP server answered ${code}` : `SMTP ${smtpFailure(e)}`, !(code !== undefined && code >= 500));
      }
    }
    const url = channel.url ?? secretFrom(deps.env, 'url_env', channel.url_env!);
    if (url instanceof Error) return failed(url.message, false);
    if (channel.type === 'slack') return await post(url, JSON.stringify(slackMessage(n, link)), {}, deps);
    const body = JSON.stringify(webhookBody(n, link));
    const headers: Record<string, string> = { 'user-agent': 'agent-signals-alerts' };
    if (channel.secret_env) {
      const secret = secretFrom(deps.env, 'secret_env', channel.secret_env);
      if (secret instanceof Error) return failed(secret.message, false);
      headers['x-signals-signature'] = await signatureHeader(secret, body);
    }
    return await post(url, body, headers, deps);
  } catch {
    return failed('delivery failed unexpectedly', true);
  }
}

/** The name a channel goes by in the delivery log: its `name`, else `type[index]` (`webhook[1]`). */
export function channelName(channel: ChannelConfig, index: number): string {
  return channel.name ?? `${channel.type}[${index}]`;
}

/** A connection failure of the SMTP client as a fixed reason: its code (`ECONNREFUSED`, `EAUTH`), never its text. */
function smtpFailure(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? `failed (${code})` : 'failed';
}
