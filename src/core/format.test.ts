import { describe, expect, it } from 'vitest';
import { formatDecimal, formatF32 } from './format.js';

const efficiency = (turns: number) => (turns <= 5 ? 1 : Math.fround(1 / (1 + (turns - 5) * 0.25)));

// Rows of the spec's Appendix A: user turns → JSON efficiency, snippet {:.2}, summary pct {:.1}.
describe('Appendix A efficiency table', () => {
  it.each([
    [0, '1.0', '1.00', '100.0'],
    [6, '0.800000011920929', '0.80', '80.0'],
    [7, '0.6666666865348816', '0.67', '66.7'],
    [10, '0.4444444477558136', '0.44', '44.4'],
    [17, '0.25', '0.25', '25.0'],
    [33, '0.125', '0.12', '12.5'],
    [41, '0.10000000149011612', '0.10', '10.0'],
    [45, '0.09090909361839294', '0.09', '9.1'],
    [100, '0.04040404036641121', '0.04', '4.0'],
  ])('%i turns', (turns, json, two, one) => {
    const e = efficiency(turns);
    expect(formatF32(e)).toBe(json);
    expect(formatDecimal(e, 2)).toBe(two);
    expect(formatDecimal(Math.fround(e * 100), 1)).toBe(one);
  });

  it('rounds exact ties half to even, unlike toFixed', () => {
    expect(formatDecimal(6.25, 1)).toBe('6.2');
    expect((6.25).toFixed(1)).toBe('6.3');
    expect(formatDecimal(0.125, 2)).toBe('0.12');
    expect(formatDecimal(0.375, 2)).toBe('0.38');
  });
});
