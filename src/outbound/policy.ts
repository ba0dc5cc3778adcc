/**
 * The one outbound policy every call the service makes on its own goes through (LLM providers, webhooks, Slack,
 * SMTP): `https:` only, no credentials in the URL, no private, loopback, link-local or metadata destination
 * (checked on the literal address and, where a resolver is registered, on every address the name resolves to),
 * unless the operator lists the destination in `SIGNALS_OUTBOUND_ALLOW`. Redirects are followed by hand and each
 * hop is checked again. Refusals and failures carry a fixed reason: never the URL, a response body or a header,
 * since a URL may come from a secret variable and a body from an internal endpoint.
 */
import { type AddressClass, type Cidr, classify, inCidr, parseCidr, parseIp } from './address.js';

/** The operator's list of destinations allowed despite the policy: host names and CIDR ranges. */
export interface OutboundAllow {
  hosts: ReadonlySet<string>;
  ranges: readonly Cidr[];
}

/** Resolves a host name to its addresses (Node registers `dns.lookup`; Workers have none). */
export type Resolver = (host: string) => Promise<string[]>;

/** What an outbound call needs: the allow list, and optionally a fetch and a resolver. */
export interface OutboundOptions {
  allow: OutboundAllow;
  fetch?: typeof fetch;
  /** Defaults to the registered resolver (`registerResolver`); none: literal addresses only. */
  resolve?: Resolver;
  /** Hops followed after the first request (default 5). */
  maxRedirects?: number;
}

/** A destination the policy refuses, or a call that failed; `message` is a fixed reason safe to record. */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
}

/** An empty allow list: https to public addresses only. */
export const NO_ALLOW: OutboundAllow = Object.freeze({ hosts: new Set<string>(), ranges: [] });

/**
 * Parses `SIGNALS_OUTBOUND_ALLOW`: comma-separated host names (`llm.internal`, `localhost`) and addresses or
 * CIDR ranges (`127.0.0.1`, `10.0.0.0/8`, `::1`). Throws naming the entry that is neither.
 */
export function parseOutboundAllow(text: string | undefined): OutboundAllow {
  const hosts = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const range = parseCidr(entry.replace(/^\[(.*)\]$/, '$1'));
    if (range) ranges.push(range);
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) hosts.add(entry);
    else throw new Error(`SIGNALS_OUTBOUND_ALLOW: "${raw.trim()}" is neither a host name nor an address or CIDR range (e.g. 127.0.0.1,10.0.0.0/8,llm.internal)`);
  }
  return { hosts, ranges };
}

const allowCache = new Map<string, OutboundAllow>();

/** The allow list of an environment (`SIGNALS_OUTBOUND_ALLOW`), parsed once per distinct value. */
export function outboundAllowFromEnv(env: Record<string, string | undefined> | undefined): OutboundAllow {
  const text = env?.SIGNALS_OUTBOUND_ALLOW ?? '';
  let allow = allowCache.get(text);
  if (!allow) {
    allow = parseOutboundAllow(text);
    if (allowCache.size < 32) allowCache.set(text, allow);
  }
  return allow;
}

let registered: Resolver | undefined;

/** Sets the resolver used when a call gives none (the Node entry points register `dns.lookup`). */
export function registerResolver(resolve: Resolver | undefined): void {
  registered = resolve;
}

const CLASS_TEXT: Record<Exclude<AddressClass, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

const HINT = 'list it in SIGNALS_OUTBOUND_ALLOW to allow it';

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

function listedAddress(ip: Uint8Array, allow: OutboundAllow): boolean {
  return allow.ranges.some((r) => inCidr(ip, r));
}

/**
 * Checks a URL without resolving it: scheme, credentials, local names and literal addresses. Returns the reason it
 * is refused, or null. Used at create time (a webhook URL sent to the API) and before every request.
 */
export function urlProblem(input: string | URL, allow: OutboundAllow): string | null {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return 'not a valid absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `scheme "${url.protocol}" is not allowed (https only)`;
  if (url.username !== '' || url.password !== '') return 'credentials in the URL are not allowed (the operator configures keys)';
  const host = hostOf(url);
  if (host === '') return 'the URL has no host';
  if (allow.hosts.has(host)) return null;
  const ip = parseIp(host);
  if (ip) {
    if (listedAddress(ip, allow)) return null;
    const kind = classify(ip);
    if (kind !== 'public') return `destination is ${CLASS_TEXT[kind]} (${HINT})`;
  } else if (host === 'localhost' || host.endsWith('.localhost') || host === 'metadata.google.internal' || host === 'metadata') {
    return `destination is a local name (${HINT})`;
  }
  if (url.protocol === 'http:') return `http is allowed only to destinations in SIGNALS_OUTBOUND_ALLOW (use https)`;
  return null;
}

/** Checks a URL, resolving its host where a resolver exists; throws `OutboundError` with the reason. */
export async function checkDestination(url: URL, options: OutboundOptions): Promise<void> {
  const problem = urlProblem(url, options.allow);
  if (problem) throw new OutboundError(`destination refused: ${problem}`);
  const host = hostOf(url);
  if (options.allow.hosts.has(host) || parseIp(host)) return;
  const resolve = options.resolve ?? registered;
  if (!resolve) return;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new OutboundError('destination unreachable: its host name does not resolve');
  }
  if (addresses.length === 0) throw new OutboundError('destination unreachable: its host name does not resolve');
  for (const address of addresses) {
    const ip = parseIp(address);
    if (!ip) throw new OutboundError('destination refused: its host name resolves to something that is not an address');
    if (listedAddress(ip, options.allow)) continue;
    const kind = classify(ip);
    if (kind !== 'public') throw new OutboundError(`destination refused: its host name resolves to ${CLASS_TEXT[kind]} (${HINT})`);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A network error as a fixed reason: its code (`ECONNREFUSED`) when it has one, never its message. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = cause?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? `network error (${code})` : 'network error';
}

/**
 * `fetch` under the policy: checks the destination, sends with `redirect: 'manual'`, and follows up to
 * `maxRedirects` redirects, checking each. A 303 (and a 301/302 after a POST) continues as a GET without body;
 * `Authorization` is dropped when a redirect leaves the origin. Throws `OutboundError` (fixed reason) when refused
 * or when the network fails; an `AbortError` from `init.signal` is rethrown as is.
 */
export async function outboundFetch(target: string | URL, init: RequestInit, options: OutboundOptions): Promise<Response> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundError('destination refused: not a valid absolute URL');
  }
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let current: RequestInit = { ...init, redirect: 'manual' };
  const max = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    await checkDestination(url, options);
    let response: Response;
    try {
      response = await doFetch(url.href, current);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new OutboundError(`request failed: ${networkReason(error)}`);
    }
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= max) throw new OutboundError(`request failed: more than ${max} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new OutboundError('request failed: a redirect to an invalid URL');
    }
    const method = (current.method ?? 'GET').toUpperCase();
    const headers = new Headers(current.headers);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      current = { ...current, method: 'GET', body: undefined };
      headers.delete('content-type');
    }
    if (next.origin !== url.origin) headers.delete('authorization');
    current = { ...current, headers };
    url = next;
  }
}
