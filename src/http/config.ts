/** Runtime settings of the HTTP service, read from env bindings (Workers) or `process.env` (Node). */
export interface HttpConfig {
  /** When set, every `/v1/*` route requires `Authorization: Bearer <token>` (`/` and `/healthz` stay open). */
  apiToken?: string;
  /** When set, `POST /v1/traces` forwards the enriched export there and answers with the upstream status. */
  forwardUrl?: string;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Largest accepted conversation, in rows, so one request stays within the Workers CPU limit. */
  maxMessages: number;
}

/** The string bindings `configFromEnv` reads; all optional. */
export interface HttpEnv {
  SIGNALS_API_TOKEN?: string;
  SIGNALS_FORWARD_URL?: string;
  SIGNALS_MAX_BODY_BYTES?: string;
  SIGNALS_MAX_MESSAGES?: string;
}

/** Default body limit: 5 MB. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Default conversation cap: 2,000 rows (the analyzer only reads the last 100, but formats convert all of them). */
export const DEFAULT_MAX_MESSAGES = 2000;

/**
 * Builds the config from string bindings. Empty strings count as unset, because `wrangler.toml`
 * `[vars]` and shell exports commonly leave a variable defined but blank.
 * Throws on a non-numeric or non-positive limit so a typo fails at start, not per request.
 */
export function configFromEnv(env: HttpEnv): HttpConfig {
  return {
    apiToken: nonEmpty(env.SIGNALS_API_TOKEN),
    forwardUrl: nonEmpty(env.SIGNALS_FORWARD_URL),
    maxBodyBytes: positiveInt('SIGNALS_MAX_BODY_BYTES', env.SIGNALS_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
    maxMessages: positiveInt('SIGNALS_MAX_MESSAGES', env.SIGNALS_MAX_MESSAGES, DEFAULT_MAX_MESSAGES),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}
