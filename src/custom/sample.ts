/**
 * Deterministic sampling shared by live labelling, backfill and test runs. A target is kept at rate `r` when
 * `u < r`, with `u` the first 56 bits of SHA-256("agent-signals:sample:v1\0" + scope + "\0" + targetId) / 2^56.
 * Because `u` does not depend on the rate, samples nest: everything kept at 10% is kept at 25%.
 * Web Crypto makes it run in Node, browsers and Workers alike.
 */

/** The rates offered as presets (10%, 25%, 50%, 100%). */
export const SAMPLE_PRESETS = [0.1, 0.25, 0.5, 1] as const;

const PREFIX = 'agent-signals:sample:v1\0';
const encoder = new TextEncoder();

/** The target's sampling position in [0, 1): uniform over ids whatever their shape, stable across runs and runtimes. */
export async function sampleUnit(scope: string, targetId: string): Promise<number> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', encoder.encode(`${PREFIX}${scope}\0${targetId}`)),
  );
  // 56 bits fit a double exactly: 7 bytes, big-endian, accumulated as integers below 2^56.
  let value = 0;
  for (let i = 0; i < 7; i++) value = value * 256 + digest[i];
  return value / 2 ** 56;
}

/** True when the target is in the sample at `rate` (0 < rate <= 1; a rate of 1 keeps everything). */
export async function keep(scope: string, targetId: string, rate: number): Promise<boolean> {
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`sample rate must be in (0, 1], got ${rate}`);
  // Every position is below 1: a full sample needs no digest (the hash was a sixth of live ingest's CPU).
  if (rate === 1) return true;
  return (await sampleUnit(scope, targetId)) < rate;
}
