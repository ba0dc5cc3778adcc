/**
 * Whom email alert channels may write to: with `SIGNALS_SMTP_TO` set (comma-separated addresses and domains, e.g.
 * `oncall@example.com,example.org`), only those; unset, anyone. The SMTP server is the operator's, so without a list
 * whoever may create alerts may have it mail any address; the list keeps that to the operator's own recipients.
 */
import type { ChannelConfig } from '../rule.js';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const ADDRESS = /^[^\s@,<>"]{1,64}@([^\s@,<>"]+)$/;

/**
 * The entries of a `SIGNALS_SMTP_TO` value, lower-cased (a domain without a leading `@`), or null when it lists
 * nothing (any recipient). Throws naming the variable and the entry's position for one that is neither an address
 * nor a domain name: an entry that could never match would only fail deliveries later.
 */
export function parseRecipientList(text: string | undefined): string[] | null {
  const entries = (text ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  if (entries.length === 0) return null;
  return entries.map((entry, i) => {
    const domain = entry.startsWith('@') ? entry.slice(1) : entry;
    const match = ADDRESS.exec(domain);
    if ((match === null && !DOMAIN.test(domain)) || (match !== null && !DOMAIN.test(match[1]))) {
      throw new Error(`SIGNALS_SMTP_TO entry ${i + 1} is neither an email address nor a domain name (expected oncall@example.com or example.com)`);
    }
    return domain;
  });
}

/** Why an email channel may not send to `address`, or null when `SIGNALS_SMTP_TO` is unset or lists it or its domain. */
export function recipientProblem(address: string, env: Record<string, string | undefined> | undefined): string | null {
  let listed: string[] | null;
  try {
    listed = parseRecipientList(env?.SIGNALS_SMTP_TO);
  } catch {
    // The service checks the list at start; a list that is malformed anyway allows nobody.
    listed = [];
  }
  if (listed === null) return null;
  const lower = address.toLowerCase();
  // A domain lists its own addresses, not its subdomains' (as SIGNALS_OUTBOUND_ALLOW lists no neighbours).
  if (listed.includes(lower) || listed.includes(lower.slice(lower.lastIndexOf('@') + 1))) return null;
  return `recipient ${address} is not one SIGNALS_SMTP_TO lists (the addresses and domains the operator lets email channels send to)`;
}

/** The recipients of a rule's email channels that `SIGNALS_SMTP_TO` does not list, with their paths (`channels[0].to[1]: ...`). */
export function recipientProblems(channels: readonly ChannelConfig[], env: Record<string, string | undefined> | undefined): string[] {
  return channels.flatMap((c, i) =>
    c.type !== 'email'
      ? []
      : c.to.flatMap((address, j) => {
          const problem = recipientProblem(address, env);
          return problem ? [`channels[${i}].to[${j}]: ${problem}`] : [];
        }),
  );
}
