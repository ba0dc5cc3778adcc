import { ServiceError } from './api.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The latest time the service takes: the end of year 9999 (JavaScript dates reach further, ISO 8601 strings do not). */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The longest duration the service takes: 100 years, so `now - duration` stays a date. */
export const MAX_DURATION_MS = 100 * 365 * 86_400_000;

/** `90s`, `15m`, `1h`, `7d` → milliseconds (at most 100 years); throws `ServiceError('invalid')` naming the field. */
export function parseDuration(text: string, field: string): number {
  if (typeof text !== 'string') throw new ServiceError('invalid', `${field}: expected a duration such as 15m, 1h or 7d, got ${text === null ? 'null' : typeof text}`);
  const m = /^(\d{1,16})\s*([smhdw])$/.exec(text.trim());
  if (m === null || Number(m[1]) <= 0) throw new ServiceError('invalid', `${field}: expected a duration such as 15m, 1h or 7d, got "${clip(text)}"`);
  const ms = Number(m[1]) * UNITS[m[2]];
  if (ms > MAX_DURATION_MS) throw new ServiceError('invalid', `${field}: a duration of at most 100 years, got "${clip(text)}"`);
  return ms;
}

/**
 * A time as milliseconds: ISO 8601 (`2026-12-01T10:00:00Z`, a bare date is UTC midnight), Unix milliseconds, or a
 * duration before `now` (`24h` = 24 hours ago).
 */
export function parseTime(text: string, field: string, now: number): number {
  // Typed callers pass strings; JSON bodies (HTTP, MCP) may not.
  if (typeof text !== 'string') throw new ServiceError('invalid', `${field}: expected an ISO 8601 time or a duration ago (24h), got ${text === null ? 'null' : typeof text}`);
  const t = text.trim();
  if (/^\d+\s*[smhdw]$/.test(t)) return inRange(now - parseDuration(t, field), text, field);
  if (/^\d{10,}$/.test(t)) return inRange(Number(t), text, field);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return inRange(ms, text, field);
  }
  throw new ServiceError('invalid', `${field}: expected an ISO 8601 time (2026-12-01T10:00:00Z) or a duration ago (24h), got "${clip(text)}"`);
}

function inRange(ms: number, text: string, field: string): number {
  if (Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_TIME_MS) return ms;
  throw new ServiceError('invalid', `${field}: the time must fall between 1970-01-01 and 9999-12-31, got "${clip(text)}"`);
}

/** Caller text quoted back in an error, cut so a huge value does not make a huge answer. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** Milliseconds → ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Random id with a readable prefix (`sig_…`, `run_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
