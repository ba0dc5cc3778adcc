import { describe, expect, it } from 'vitest';
import { slicer } from './slices.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('slicer', () => {
  it('lets waiting callbacks run during a long loop of synchronous work', async () => {
    let ran = -1;
    setImmediate(() => (ran = step));
    let step = 0;
    const slice = slicer(5);
    for (; step < 40; step++) {
      await slice.tick();
      busy(2);
    }
    // Without slicing the callback would run only after the loop (ran === 40).
    expect(ran).toBeGreaterThanOrEqual(0);
    expect(ran).toBeLessThan(40);
  });

  it('does not yield while the slice is within its budget', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    const slice = slicer(60_000);
    for (let i = 0; i < 100; i++) await slice.tick();
    expect(ran).toBe(false);
  });
});
