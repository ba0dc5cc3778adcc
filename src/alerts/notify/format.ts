/** How a notification reads: one line summary, a Slack Block Kit message, the webhook JSON body and an email. */
import type { AlertNotification } from '../state.js';

const isShare = (n: AlertNotification): boolean => n.metric === 'true_rate' || n.metric === 'value_share';
const round = (v: number): string => String(Number(v.toFixed(2)));

/** The metric's name with its label value: `true_rate`, `value_share{negative}`. */
export function metricName(n: AlertNotification): string {
  return n.labelValue ? `${n.metric}{${n.labelValue}}` : n.metric;
}

/** The compared value for people: `42.5%` for a share, `+150%` for a change, `no data`. */
export function formatValue(n: AlertNotification): string {
  if (n.value === null) return 'no data';
  if (n.comparison === 'change') return `${n.value >= 0 ? '+' : ''}${round(n.value)}%`;
  return isShare(n) ? `${round(n.value * 100)}%` : round(n.value);
}

/** The threshold for people: `above 30%`, `change above +50%`, `change below -50%`. */
export function formatThreshold(n: AlertNotification): string {
  if (n.comparison === 'change') return n.threshold >= 0 ? `rise of more than +${n.threshold}%` : `fall of more than ${n.threshold}%`;
  return `${n.comparison} ${isShare(n) ? `${round(n.threshold * 100)}%` : n.threshold}`;
}

/** `FIRING` / `RESOLVED`. */
const status = (n: AlertNotification): string => (n.kind === 'firing' ? 'FIRING' : 'RESOLVED');

/** One line: `FIRING: frustration up. true_rate 42% (above 30%) over 1h on frustration`. */
export function summary(n: AlertNotification): string {
  return `${status(n)}: ${n.alert}. ${metricName(n)} ${formatValue(n)} (${formatThreshold(n)}) over ${n.window} on ${n.signal}`;
}

/** The dashboard page of the signal, or `null` without a dashboard URL. */
export function dashboardLink(n: AlertNotification, dashboardUrl?: string): string | null {
  return dashboardUrl ? `${dashboardUrl.replace(/\/+$/, '')}/signals/${encodeURIComponent(n.signal)}` : null;
}

// Slack mrkdwn treats these three as control characters.
const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook payload (Block Kit, with `text` as the notification fallback). */
export function slackMessage(n: AlertNotification, link: string | null): Record<string, unknown> {
  const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${slackEscape(value)}` });
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: `${n.kind === 'firing' ? '🔴' : '✅'} ${status(n)}: ${n.alert}`.slice(0, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        field('Signal', n.signal),
        field('Metric', metricName(n)),
        field('Value', `${formatValue(n)} (${n.labels} labels)`),
        field('Threshold', formatThreshold(n)),
        field('Window', n.window),
        field(n.kind === 'firing' ? 'Since' : 'Was firing since', n.activeSince === null ? '-' : new Date(n.activeSince).toISOString()),
      ],
    },
  ];
  if (link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in dashboard' }, url: link }] });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `agent-signals · ${new Date(n.at).toISOString()}${n.repeat ? ' · reminder' : ''}` }] });
  return { text: slackEscape(summary(n)), blocks };
}

/** The generic webhook's JSON body (snake_case, ISO times). */
export function webhookBody(n: AlertNotification, link: string | null): Record<string, unknown> {
  return {
    type: `alert.${n.kind}`,
    repeat: n.repeat,
    alert: n.alert,
    signal: n.signal,
    metric: n.metric,
    label_value: n.labelValue,
    comparison: n.comparison,
    threshold: n.threshold,
    window: n.window,
    value: n.value,
    labels: n.labels,
    at: new Date(n.at).toISOString(),
    active_since: n.activeSince === null ? null : new Date(n.activeSince).toISOString(),
    summary: summary(n),
    link,
  };
}

/** An email for one notification. */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
}

/** The email: the summary as subject, the fields as text. */
export function emailMessage(n: AlertNotification, link: string | null, to: string[]): EmailMessage {
  const lines = [
    summary(n),
    '',
    `Signal:    ${n.signal}`,
    `Metric:    ${metricName(n)}`,
    `Value:     ${formatValue(n)} (${n.labels} labels)`,
    `Threshold: ${formatThreshold(n)}`,
    `Window:    ${n.window}`,
    `At:        ${new Date(n.at).toISOString()}`,
  ];
  if (n.activeSince !== null) lines.push(`Since:     ${new Date(n.activeSince).toISOString()}`);
  if (link) lines.push('', `Dashboard: ${link}`);
  return { to, subject: `[signals] ${summary(n)}`, text: `${lines.join('\n')}\n` };
}
