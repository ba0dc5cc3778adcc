import type { Context } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AgentScope } from '../service/scope.js';
import { agentNameFault } from '../formats/agent-name.js';

/** One key the operator scoped to one agent: the SHA-256 of the key (the key itself is never configured or kept). */
export interface AgentKey {
  agent: string;
  /** 32 bytes. */
  sha256: Uint8Array;
}

const ENTRY = /^(.+)=sha256:([0-9a-fA-F]{64})$/;

/**
 * `SIGNALS_AGENT_KEYS`: entries `AGENT=sha256:HEX` (the SHA-256 of the key, 64 hex digits) separated by commas or
 * new lines; an agent may have several keys (rotation). Throws naming the malformed entry by position (never its
 * text: it may be a key pasted by mistake), and an agent's name not written as names are stored (`agentNameFault`).
 */
export function parseAgentKeys(value: string | undefined): AgentKey[] {
  if (value === undefined || value.trim() === '') return [];
  const keys: AgentKey[] = [];
  value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .forEach((entry, i) => {
      const match = ENTRY.exec(entry);
      if (match === null) throw new Error(`SIGNALS_AGENT_KEYS entry ${i + 1} is not AGENT=sha256:HEX (the agent's name, then the SHA-256 of its key in 64 hex digits)`);
      const hex = match[2].toLowerCase();
      // The key opens the agent of exactly this stored name: a look-alike (an invisible character, a name not in NFKC
      // form, letters of scripts drawn alike) would open an agent nobody sees, or be taken for the one it looks like.
      const agent = match[1].trim();
      const fault = agentNameFault(agent);
      if (fault !== undefined) {
        // The entry's text is never quoted (a key pasted by mistake): only what is wrong with the name.
        throw new Error(
          fault.kind === 'scripts'
            ? `SIGNALS_AGENT_KEYS entry ${i + 1}: the agent's name mixes ${fault.scripts.join(' and ')} letters, which are drawn alike (it would be taken for another agent's name): write it in one script`
            : `SIGNALS_AGENT_KEYS entry ${i + 1}: the agent's name holds invisible characters, white space at an end or repeated, or compatibility characters (full-width, ligatures; not in Unicode NFKC form) (agents are stored without them: it would open none, or one it only looks like)`,
        );
      }
      keys.push({ agent, sha256: Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))) });
    });
  return keys;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Equal digests, in time independent of where they differ. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const SCOPE = 'signalsAgentScope';

/** The agent scope of this request (set by the auth check from the key that matched); undefined: the operator's token, every agent. */
export function scopeOf(c: Context): AgentScope | undefined {
  return (c as unknown as { get(key: string): AgentScope | undefined }).get(SCOPE);
}

/**
 * The token check of every authenticated route: the operator's token opens everything; a key of `keys` opens its
 * agent only, recorded on the request for {@link scopeOf}. Every key's digest is compared (no early exit), so the
 * time taken says nothing of which key, or how much of one, matched.
 */
export function callerVerifier(operatorToken: string, keys: readonly AgentKey[]): (token: string, c: Context) => Promise<boolean> {
  return async (token, c) => {
    if (await timingSafeEqual(token, operatorToken)) return true;
    if (keys.length === 0) return false;
    const digest = await sha256(token);
    let found: string | undefined;
    for (const key of keys) if (sameDigest(digest, key.sha256) && found === undefined) found = key.agent;
    if (found === undefined) return false;
    (c as unknown as { set(key: string, value: AgentScope): void }).set(SCOPE, { agent: found });
    return true;
  };
}
