/** Durations written as in Prometheus: `30s`, `5m`, `1h30m`, `2d` (units ms, s, m, h, d, largest first). */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ORDER = ['d', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|s|m|h|d)/y;

/** Milliseconds of a duration string, or `null` when it is not one (empty, unknown unit, units out of order). */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string' || text === '') return null;
  PART.lastIndex = 0;
  let total = 0;
  let lastUnit = -1;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return null;
    const rank = ORDER.indexOf(m[2]);
    if (rank <= lastUnit) return null;
    lastUnit = rank;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  // Digits past what a double holds exactly are not a duration anyone means.
  return Number.isSafeInteger(total) ? total : null;
}

/** The shortest string for a duration: 90 000 → `1m30s`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}
