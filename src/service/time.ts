import { ServiceError } from './api.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `1h`, `7d` → milliseconds; throws `ServiceError('invalid')` naming the field. */
export function parseDuration(text: string, field: string): number {
  const m = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (m === null || Number(m[1]) <= 0) throw new ServiceError('invalid', `${field}: expected a duration such as 15m, 1h or 7d, got "${text}"`);
  return Number(m[1]) * UNITS[m[2]];
}

/**
 * A time as milliseconds: ISO 8601 (`2026-12-01T10:00:00Z`, a bare date is UTC midnight), Unix milliseconds, or a
 * duration before `now` (`24h` = 24 hours ago).
 */
export function parseTime(text: string, field: string, now: number): number {
  const t = text.trim();
  if (/^\d+\s*[smhdw]$/.test(t)) return now - parseDuration(t, field);
  if (/^\d{10,}$/.test(t)) return Number(t);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ServiceError('invalid', `${field}: expected an ISO 8601 time (2026-12-01T10:00:00Z) or a duration ago (24h), got "${text}"`);
}

/** Milliseconds → ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Random id with a readable prefix (`sig_…`, `run_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
