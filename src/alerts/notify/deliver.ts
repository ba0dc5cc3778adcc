/**
 * Sends one notification to its channels and returns a record of every attempt, for the delivery log.
 * Never throws: a failing channel is recorded and the others (and the evaluation) go on.
 */
import type { ChannelConfig } from '../rule.js';
import type { AlertNotification } from '../state.js';
import { dashboardLink, type EmailMessage, emailMessage, slackMessage, webhookBody } from './format.js';
import { signatureHeader } from './sign.js';
import { outboundAllowFromEnv, OutboundError, outboundFetch } from '../../outbound/policy.js';
import { channelVarProblem } from './channel-vars.js';

/** One delivery attempt. */
export interface DeliveryRecord {
  /** The channel's `name`, else `type[index]` (`webhook[1]`). */
  channel: string;
  type: ChannelConfig['type'];
  /** 1-based. */
  attempt: number;
  status: 'sent' | 'failed';
  error: string | null;
  /** The HTTP status of a webhook attempt, when there was an answer. */
  httpStatus: number | null;
  /** When the attempt ended, ms since the epoch. */
  at: number;
}

/** Sends an email; on Node `createSmtpSender` (./email.js) provides one. */
export type SendEmail = (message: EmailMessage) => Promise<void>;

/** What delivery needs from its surroundings. */
export interface DeliverDeps {
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The service's environment: `url_env` / `secret_env` read only variables listed in `SIGNALS_CHANNEL_VARS`;
   * `SIGNALS_OUTBOUND_ALLOW` lists destinations allowed despite the outbound policy.
   */
  env?: Record<string, string | undefined>;
  sendEmail?: SendEmail;
  /** Base URL of the dashboard, for the link in messages. */
  dashboardUrl?: string;
  /** Attempts per channel (default 3). */
  maxAttempts?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
}

/** Wait before attempt `n + 1` (n ≥ 1): `Retry-After` seconds if given, else 1 s · 2^(n-1), at most 60 s. */
export function deliveryBackoff(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : null;
  return Math.min(seconds ?? 1000 * 2 ** (attempt - 1), 60_000);
}

type Outcome = { ok: true; httpStatus: number | null } | { ok: false; retry: boolean; error: string; httpStatus: number | null; retryAfter: string | null };

async function post(url: string, body: string, headers: Record<string, string>, deps: DeliverDeps): Promise<Outcome> {
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
    if (res.ok) return { ok: true, httpStatus: res.status };
    const retry = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, retry, error: `HTTP ${res.status}`, httpStatus: res.status, retryAfter: res.headers.get('retry-after') };
  } catch (e) {
    if (controller.signal.aborted) return { ok: false, retry: true, error: `timed out after ${deps.timeoutMs ?? 10_000} ms`, httpStatus: null, retryAfter: null };
    if (e instanceof OutboundError) return { ok: false, retry: !e.message.startsWith('destination refused'), error: e.message, httpStatus: null, retryAfter: null };
    return { ok: false, retry: true, error: 'request failed', httpStatus: null, retryAfter: null };
  } finally {
    clearTimeout(timer);
  }
}

async function withRetries(
  channel: string,
  type: ChannelConfig['type'],
  send: () => Promise<Outcome>,
  deps: DeliverDeps,
): Promise<DeliveryRecord[]> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const max = Math.max(1, deps.maxAttempts ?? 3);
  const records: DeliveryRecord[] = [];
  for (let attempt = 1; attempt <= max; attempt++) {
    const outcome = await send();
    records.push({
      channel,
      type,
      attempt,
      status: outcome.ok ? 'sent' : 'failed',
      error: outcome.ok ? null : outcome.error,
      httpStatus: outcome.httpStatus,
      at: now(),
    });
    if (outcome.ok || !outcome.retry || attempt === max) break;
    await sleep(deliveryBackoff(attempt, outcome.retryAfter));
  }
  return records;
}

/** A channel's variable, or one fixed error that says neither whether it is set nor anything of its value. */
function secretFrom(env: DeliverDeps['env'], field: 'url_env' | 'secret_env', name: string): string | Error {
  const value = channelVarProblem(name, env) === null ? env?.[name] : undefined;
  return value ? value : new Error(`${field} ${name}: not available to alert channels (the operator lists channel variables in SIGNALS_CHANNEL_VARS and sets them)`);
}

async function deliverOne(n: AlertNotification, channel: ChannelConfig, index: number, deps: DeliverDeps): Promise<DeliveryRecord[]> {
  const name = channel.name ?? `${channel.type}[${index}]`;
  const fail = (error: string): DeliveryRecord[] => [
    { channel: name, type: channel.type, attempt: 1, status: 'failed', error, httpStatus: null, at: (deps.now ?? Date.now)() },
  ];
  const link = dashboardLink(n, deps.dashboardUrl);
  try {
    if (channel.type === 'email') {
      const sendEmail = deps.sendEmail;
      if (!sendEmail) return fail('email needs an SMTP sender (Node only: createSmtpSender)');
      const message = emailMessage(n, link, channel.to, channel.from);
      return await withRetries(name, 'email', async () => {
        try {
          await sendEmail(message);
          return { ok: true, httpStatus: null };
        } catch (e) {
          const code = (e as { responseCode?: number }).responseCode;
          // SMTP 5xx is permanent (bad recipient, refused); 4xx and connection errors are worth a retry. The server's
          // text is not recorded (it can echo the login); its code is.
          if (e instanceof OutboundError) return { ok: false, retry: false, error: `SMTP ${e.message}`, httpStatus: null, retryAfter: null };
          const reason = typeof code === 'number' ? `SMTP server answered ${code}` : `SMTP ${smtpFailure(e)}`;
          return { ok: false, retry: !(code !== undefined && code >= 500), error: reason, httpStatus: null, retryAfter: null };
        }
      }, deps);
    }
    const url = channel.url ?? secretFrom(deps.env, 'url_env', channel.url_env!);
    if (url instanceof Error) return fail(url.message);
    if (channel.type === 'slack') {
      const body = JSON.stringify(slackMessage(n, link));
      return await withRetries(name, 'slack', () => post(url, body, {}, deps), deps);
    }
    const body = JSON.stringify(webhookBody(n, link));
    const headers: Record<string, string> = { 'user-agent': 'agent-signals-alerts' };
    if (channel.secret_env) {
      const secret = secretFrom(deps.env, 'secret_env', channel.secret_env);
      if (secret instanceof Error) return fail(secret.message);
      headers['x-signals-signature'] = await signatureHeader(secret, body);
    }
    return await withRetries(name, 'webhook', () => post(url, body, headers, deps), deps);
  } catch {
    return fail('delivery failed unexpectedly');
  }
}

/** A connection failure of the SMTP client as a fixed reason: its code (`ECONNREFUSED`, `EAUTH`), never its text. */
function smtpFailure(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? `failed (${code})` : 'failed';
}

/** Delivers `notification` to every channel (concurrently); the records come back in channel order. */
export async function deliver(notification: AlertNotification, channels: readonly ChannelConfig[], deps: DeliverDeps = {}): Promise<DeliveryRecord[]> {
  const perChannel = await Promise.all(channels.map((c, i) => deliverOne(notification, c, i, deps)));
  return perChannel.flat();
}
