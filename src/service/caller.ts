import type { AgentScope } from './scope.js';

/**
 * What a caller may do, in the groups the front ends offer: `read` (traffic, signals, labels, runs, and the built-in
 * analysis of conversations sent in the body, which keeps nothing), `ingest` (send spans and log records), `review`
 * (human labels), `change_signals` (create, edit, change state), `test_signals` and `backfill` (they spend the
 * operator's LLM budget), `train` (learned judges), `alerts`, `providers`, `pending` (the work queue of every signal).
 * Every HTTP route needs one of them (src/http/scoped-routes.ts), every MCP tool too (src/mcp/tools.ts).
 */
export const ACTIONS = ['read', 'ingest', 'review', 'change_signals', 'test_signals', 'backfill', 'train', 'alerts', 'providers', 'pending'] as const;
/** One of {@link ACTIONS}. */
export type Action = (typeof ACTIONS)[number];

/** Who the caller is and what it may do (`GET /v1/whoami`): the dashboard and MCP offer only what `can` allows. */
export interface Caller {
  /** `operator`: the operator's token (or no token configured); `agent`: a key scoped to one agent. */
  role: 'operator' | 'agent';
  /** The agent a scoped key opens; null for the operator. */
  agent: string | null;
  can: Record<Action, boolean>;
  /** Why some actions are not allowed, for people; absent when every action is. */
  note?: string;
}

/**
 * What a key scoped to one agent may do, each for its agent only (deny by default: an action added later is the
 * operator's alone). `ingest`: a key sends its own agent's traffic (the receivers keep that agent's spans only).
 */
const AGENT_ACTIONS: ReadonlySet<Action> = new Set<Action>(['read', 'ingest', 'review']);

/** The caller behind a request's scope: the operator without one, else the scoped agent with its few actions. */
export function callerOf(scope: AgentScope | undefined): Caller {
  if (scope === undefined) return { role: 'operator', agent: null, can: Object.fromEntries(ACTIONS.map((a) => [a, true])) as Record<Action, boolean> };
  return {
    role: 'agent',
    agent: scope.agent,
    can: Object.fromEntries(ACTIONS.map((a) => [a, AGENT_ACTIONS.has(a)])) as Record<Action, boolean>,
    note: `This key opens agent "${scope.agent}" only: sending and reading its traffic, its signals and their reviews. Creating, editing, testing and backfilling signals, learned judges, alerts, providers and pending work are the operator's.`,
  };
}
