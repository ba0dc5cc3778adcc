/**
 * `x` with a fixed number of decimals, rounding half to even on the exact binary value, as the
 * reference's formatter does (`toFixed` rounds exact ties up: 6.25 → "6.3" instead of "6.2").
 * Exact for f32-derived values: an f32 times 10 or 100 is exact in double.
 */
export function formatDecimal(x: number, decimals: 1 | 2): string {
  const scale = decimals === 1 ? 10 : 100;
  const scaled = x * scale;
  let units = Math.floor(scaled);
  const rest = scaled - units;
  if (rest > 0.5 || (rest === 0.5 && units % 2 === 1)) units += 1;
  const whole = Math.floor(units / scale);
  const fraction = String(units % scale).padStart(decimals, '0');
  return `${whole}.${fraction}`;
}

/** A number printed as the reference prints an f32 widened to double: shortest form, always with `.0` when integral. */
export function formatF32(x: number): string {
  const text = String(x);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
