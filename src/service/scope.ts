/**
 * What one caller may read and send: a key the operator scoped to one agent (`SIGNALS_AGENT_KEYS`) sees and sends that
 * agent's traffic only. The operator's own token (or no token) has no scope: every agent. Resolved once per request
 * by the HTTP auth middleware from the key that matched, never from anything else the request says.
 */
export interface AgentScope {
  /** The one agent this caller's key opens. */
  readonly agent: string;
}

/** True when `agent` is visible to the caller (always, without a scope). */
export function inScope(scope: AgentScope | undefined, agent: string): boolean {
  return scope === undefined || scope.agent === agent;
}
