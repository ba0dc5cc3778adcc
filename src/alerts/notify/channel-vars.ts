/**
 * Which environment variables an alert channel may read (`url_env`, `secret_env`): only those the operator lists
 * in `SIGNALS_CHANNEL_VARS` (comma-separated names), so a caller who can create an alert cannot name the
 * service's own secrets (`SIGNALS_API_TOKEN`, `SIGNALS_SMTP_URL`, a provider key, a database password).
 */
import type { ChannelConfig } from '../rule.js';

/** Why a channel may not read variable `name`, or null when the operator listed it. Never says whether it is set. */
export function channelVarProblem(name: string, env: Record<string, string | undefined> | undefined): string | null {
  const listed = (env?.SIGNALS_CHANNEL_VARS ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (listed.includes(name)) return null;
  return `variable ${name} is not one the operator lets alert channels read (SIGNALS_CHANNEL_VARS${listed.length ? `: ${listed.join(', ')}` : ' is empty'})`;
}

/**
 * The problems of a rule's channels with their paths (`channels[0].url_env: ...`), for the create-time check. A
 * signing secret goes only with a destination the operator configured (`url_env`): with a caller's `url`, the
 * caller's receiver would get payloads it chose signed with the operator's secret, to replay to the operator's own.
 */
export function channelVarProblems(channels: readonly ChannelConfig[], env: Record<string, string | undefined> | undefined): string[] {
  const out: string[] = [];
  channels.forEach((c, i) => {
    for (const field of ['url_env', 'secret_env'] as const) {
      const name = (c as Partial<Record<typeof field, string>>)[field];
      if (name === undefined) continue;
      const problem = channelVarProblem(name, env);
      if (problem) out.push(`channels[${i}].${field}: ${problem}`);
    }
    if (c.type === 'webhook' && c.secret_env !== undefined && c.url !== undefined) {
      out.push(
        `channels[${i}].secret_env: a signing secret signs only for a destination the operator configured: give the URL as url_env (a variable listed in SIGNALS_CHANNEL_VARS), not url`,
      );
    }
  });
  return out;
}
