import { describe, expect, it } from 'vitest';
import { reviewAgreement } from './agreement.js';

const pair = (human: string, machine: string, judge = 'llm') => ({ human, machine, judge });

describe('reviewAgreement', () => {
  it('counts agreement, the confusion and Cohen kappa (a worked example)', () => {
    // 50 targets: both yes 20, both no 15, human yes / machine no 5, human no / machine yes 10.
    // p_o = 35/50 = 0.7; p_e = (25/50)(30/50) + (25/50)(20/50) = 0.3 + 0.2 = 0.5; kappa = (0.7-0.5)/0.5 = 0.4.
    const pairs = [
      ...Array.from({ length: 20 }, () => pair('yes', 'yes')),
      ...Array.from({ length: 15 }, () => pair('no', 'no', 'learned')),
      ...Array.from({ length: 5 }, () => pair('yes', 'no', 'learned')),
      ...Array.from({ length: 10 }, () => pair('no', 'yes')),
    ];
    const a = reviewAgreement(pairs, ['yes', 'no']);
    expect(a.n).toBe(50);
    expect(a.agree).toBe(35);
    expect(a.share).toBeCloseTo(0.7, 12);
    expect(a.kappa).toBeCloseTo(0.4, 12);
    expect(a.confusion).toEqual({ yes: { yes: 20, no: 5 }, no: { yes: 10, no: 15 } });
    expect(a.by_judge).toEqual({ llm: { n: 30, agree: 20 }, learned: { n: 20, agree: 15 } });
  });

  it('kappa is null when chance agreement is total, and nothing reviewed is no share', () => {
    expect(reviewAgreement([pair('yes', 'yes'), pair('yes', 'yes')], ['yes', 'no'])).toMatchObject({ n: 2, share: 1, kappa: null });
    expect(reviewAgreement([], ['a', 'b', 'c'])).toMatchObject({ n: 0, share: null, kappa: null });
  });

  it('skips pairs with a label outside the version (a renamed label)', () => {
    expect(reviewAgreement([pair('old', 'yes'), pair('yes', 'yes'), pair('no', 'yes')], ['yes', 'no'])).toMatchObject({ n: 2, agree: 1, share: 0.5 });
  });
});
