import type { ServiceOptions } from './context.js';

/** The service settings read from the environment (Node `process.env`, Workers vars). */
export interface ServiceEnv {
  SIGNALS_RETENTION_DAYS?: string;
  SIGNALS_TRACE_SETTLE_SECONDS?: string;
  SIGNALS_SESSION_IDLE_MINUTES?: string;
  /** Base URL of the dashboard, linked from alert notifications. */
  SIGNALS_DASHBOARD_URL?: string;
  /** This replica's id in the leases it holds (default: `hostname:pid` on Node, a random id on Workers). */
  SIGNALS_REPLICA_ID?: string;
  /** Milliseconds a claim on shared work lasts before another replica may take it over (default 60000). */
  SIGNALS_LEASE_MS?: string;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

function dashboardUrl(value: string | undefined): { dashboardUrl?: string } {
  if (value === undefined || value.trim() === '') return {};
  if (!/^https?:\/\/[^/\s]+/.test(value.trim())) throw new Error(`SIGNALS_DASHBOARD_URL must be an http(s) URL, got "${value}"`);
  return { dashboardUrl: value.trim() };
}

function replica(id: string | undefined, lease: string | undefined): { replicaId?: string; leaseMs?: number } {
  const out: { replicaId?: string; leaseMs?: number } = {};
  if (id !== undefined && id.trim() !== '') {
    if (!/^[\w.:@-]{1,200}$/.test(id.trim())) throw new Error(`SIGNALS_REPLICA_ID must be 1-200 letters, digits or . _ : @ -, got "${id}"`);
    out.replicaId = id.trim();
  }
  const ms = positive('SIGNALS_LEASE_MS', lease);
  if (ms !== undefined) {
    // Below a second a busy replica would lose its claims while working; above a day a dead one holds work too long.
    if (!Number.isInteger(ms) || ms < 1000 || ms > 86_400_000) throw new Error(`SIGNALS_LEASE_MS must be whole milliseconds from 1000 to 86400000, got "${lease}"`);
    out.leaseMs = ms;
  }
  return out;
}

/** Service options from env strings; a malformed number fails at start with the variable's name. */
export function serviceOptionsFromEnv(env: ServiceEnv & Record<string, unknown>): ServiceOptions {
  return {
    retentionDays: positive('SIGNALS_RETENTION_DAYS', env.SIGNALS_RETENTION_DAYS),
    traceSettleSeconds: positive('SIGNALS_TRACE_SETTLE_SECONDS', env.SIGNALS_TRACE_SETTLE_SECONDS),
    sessionIdleMinutes: positive('SIGNALS_SESSION_IDLE_MINUTES', env.SIGNALS_SESSION_IDLE_MINUTES),
    alerts: dashboardUrl(env.SIGNALS_DASHBOARD_URL),
    ...replica(env.SIGNALS_REPLICA_ID, env.SIGNALS_LEASE_MS),
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}
