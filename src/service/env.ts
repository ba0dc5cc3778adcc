import type { ServiceOptions } from './context.js';

/** The service settings read from the environment (Node `process.env`, Workers vars). */
export interface ServiceEnv {
  SIGNALS_RETENTION_DAYS?: string;
  SIGNALS_TRACE_SETTLE_SECONDS?: string;
  SIGNALS_SESSION_IDLE_MINUTES?: string;
  /** Base URL of the dashboard, linked from alert notifications. */
  SIGNALS_DASHBOARD_URL?: string;
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

/** Service options from env strings; a malformed number fails at start with the variable's name. */
export function serviceOptionsFromEnv(env: ServiceEnv & Record<string, unknown>): ServiceOptions {
  return {
    retentionDays: positive('SIGNALS_RETENTION_DAYS', env.SIGNALS_RETENTION_DAYS),
    traceSettleSeconds: positive('SIGNALS_TRACE_SETTLE_SECONDS', env.SIGNALS_TRACE_SETTLE_SECONDS),
    sessionIdleMinutes: positive('SIGNALS_SESSION_IDLE_MINUTES', env.SIGNALS_SESSION_IDLE_MINUTES),
    alerts: dashboardUrl(env.SIGNALS_DASHBOARD_URL),
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}
