/**
 * Alert notifications go through an outbox: the evaluation stores one pending delivery per notification and
 * channel together with the alert's new state, and the deliveries lane (Node: its own lane; Workers: the Cron
 * tick) claims the due ones and makes one attempt each. A failed attempt is stored with its fixed reason and the
 * time of the next one (backoff, see `deliveryBackoff`), so a dead channel waits in the store instead of holding
 * up the alert evaluation or anything else, and a restart picks up where the last process stopped.
 */
import { type AlertNotification, channelName, type ChannelConfig, DEFAULT_MAX_ATTEMPTS, deliveryBackoff, sendNotification } from '../alerts/index.js';
import { type AttemptRecord, claimDueDeliveries, type DeliveryRow, type NewDelivery, recordAttempt } from '../store/deliveries.js';
import type { ServiceContext } from './context.js';

/** What a stored delivery sends where: enough for every retry, whatever happens to the alert meanwhile. */
export interface DeliveryPayload {
  type: ChannelConfig['type'];
  kind: AlertNotification['kind'];
  notification: AlertNotification;
  channel: ChannelConfig;
}

/**
 * The deliveries of one alert's notifications, one per channel. The id is fixed by the alert, the notification's
 * time and kind and the channel's place, so storing the same notification twice stores it once.
 */
export function newDeliveries(alertId: string, notifications: readonly AlertNotification[], channels: readonly ChannelConfig[]): NewDelivery[] {
  return notifications.flatMap((n) =>
    channels.map((channel, i) => {
      const payload: DeliveryPayload = { type: channel.type, kind: n.kind, notification: n, channel };
      return { id: `${alertId}:${n.at}:${n.kind}:${i}`, alertId, channel: channelName(channel, i), at: n.at, payload };
    }),
  );
}

/** What happened to one claimed delivery. */
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed' | 'lost';

/** Makes one attempt of a claimed delivery and stores the outcome (`lost`: the lease ran out and another replica took it). */
async function attempt(ctx: ServiceContext, row: DeliveryRow): Promise<DeliveryOutcome> {
  const deps = ctx.alerts;
  const payload = row.payload as Partial<DeliveryPayload> | null;
  const outcome =
    payload?.notification !== undefined && payload.channel !== undefined
      ? await sendNotification(payload.notification, payload.channel, deps)
      : ({ status: 'failed', retry: false, error: 'delivery has no stored message', httpStatus: null, retryAfterSeconds: null } as const);
  const now = ctx.now();
  const attempts = row.attempts + 1;
  const max = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const retrying = outcome.status === 'failed' && outcome.retry && attempts < max;
  const record: AttemptRecord = {
    status: outcome.status === 'sent' ? 'sent' : retrying ? 'pending' : 'failed',
    attempts,
    httpStatus: outcome.httpStatus,
    lastError: outcome.error,
    nextAttemptAt: retrying ? now + deliveryBackoff(attempts, outcome.retryAfterSeconds, deps.retryBaseMs) : null,
    lastAttemptAt: now,
  };
  if (!(await recordAttempt(ctx.store, row.id, ctx.replicaId, record))) return 'lost';
  return outcome.status === 'sent' ? 'sent' : retrying ? 'retrying' : 'failed';
}

/**
 * Claims up to `limit` deliveries due at `now` for this replica (see `claimDueDeliveries`) and starts one attempt each;
 * returns the attempts, which run on their own (a receiver that hangs holds only its own attempt, up to the
 * per-attempt timeout). An attempt that fails to store its outcome rejects; its lease runs out and it is retried.
 */
export async function startDueDeliveries(ctx: ServiceContext, now: number, limit: number): Promise<Promise<DeliveryOutcome>[]> {
  if (limit <= 0) return [];
  const rows = await claimDueDeliveries(ctx.store, { owner: ctx.replicaId, now, leaseMs: ctx.leaseMs }, limit);
  return rows.map((row) => attempt(ctx, row));
}

/** What one pass of `sendDueDeliveries` did. */
export interface DeliveriesPassResult {
  sent: number;
  /** Failed attempts with another to come. */
  retrying: number;
  /** Deliveries that failed for good (a permanent error, or out of attempts). */
  failed: number;
}

/** Sends the deliveries due at `now` (up to `limit`) and waits for their attempts: the Workers Cron tick and `tick`. */
export async function sendDueDeliveries(ctx: ServiceContext, now: number, limit = 50): Promise<DeliveriesPassResult> {
  const out: DeliveriesPassResult = { sent: 0, retrying: 0, failed: 0 };
  for (const outcome of await Promise.all(await startDueDeliveries(ctx, now, limit))) if (outcome !== 'lost') out[outcome]++;
  return out;
}
