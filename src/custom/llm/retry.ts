/** Retry timing for the LLM client: `Retry-After` first, else exponential backoff. */

/** First backoff delay; doubled per attempt. */
export const BACKOFF_BASE_MS = 500;
/** Longest wait between two attempts, whatever the server asks. */
export const MAX_WAIT_MS = 120_000;

/**
 * Parses a `Retry-After` header: delay-seconds (`"7"`, fractions accepted) or an HTTP date.
 * Returns milliseconds to wait (0 for a date in the past), or `null` when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its month; without a letter Date.parse would read "-3" as a year.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** The wait before retry number `attempt` (0-based): the server's `Retry-After` if given, else 500 ms · 2^attempt. */
export function retryDelay(attempt: number, retryAfterMs: number | null): number {
  const wait = retryAfterMs ?? BACKOFF_BASE_MS * 2 ** attempt;
  return Math.min(wait, MAX_WAIT_MS);
}

/** HTTP statuses worth retrying: rate limited, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
