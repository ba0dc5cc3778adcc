/**
 * Bounds on what a signal's `llm` section may ask of one call: a caller's definition must not hold a request (a
 * signal test) or a judging lane for days by retrying a failing provider, nor overflow a timer (Node fires a
 * timeout past 2^31 ms at once).
 */

/** Most retries of one call (after a 429, a 5xx, a timeout or a network error). */
export const MAX_LLM_RETRIES = 10;

/** Longest wait for one call's answer: 5 minutes. */
export const MAX_LLM_TIMEOUT_MS = 300_000;
