/**
 * Verdict cache keyed by (signal version, target content hash): the same conversation judged by the same
 * version of a signal is never paid for twice. Only labelled verdicts are stored (errors are retried later).
 */
import type { Target, Verdict } from '../types.js';

/** Where verdicts are kept; the store adds a persistent implementation. */
export interface VerdictCache {
  get(key: string): Promise<Verdict | undefined>;
  set(key: string, verdict: Verdict): Promise<void>;
}

/** A Map-backed cache, for tests and single runs. */
export class MemoryVerdictCache implements VerdictCache {
  readonly entries = new Map<string, Verdict>();
  async get(key: string): Promise<Verdict | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, verdict: Verdict): Promise<void> {
    this.entries.set(key, verdict);
  }
}

const encoder = new TextEncoder();

/** Lowercase hex SHA-256 of a string (Web Crypto: Node, browsers, Workers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** SHA-256 of what the judge sees of a target: its messages (role and text), not its id or times. */
export function targetContentHash(target: Target): Promise<string> {
  return sha256Hex(JSON.stringify(target.messages.map((m) => [m.from, m.value])));
}

/** The cache key `"<signalVersion>:<content hash>"`. */
export async function verdictCacheKey(signalVersion: string, target: Target): Promise<string> {
  return `${signalVersion}:${await targetContentHash(target)}`;
}
