/** An ISO 8601 time (`2025-01-02T03:04:05.678Z`, microseconds allowed) → Unix nanoseconds as decimal text; "0" when unparsable. */
export function isoToNanos(value: unknown): string {
  if (typeof value !== 'string') return '0';
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return '0';
  // Date keeps milliseconds; add the sub-millisecond digits an ISO time may carry (Python writes microseconds).
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  const subMs = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, '0')) : 0n;
  return (BigInt(ms) * 1_000_000n + subMs).toString();
}
