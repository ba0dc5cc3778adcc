import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedHeap } from './heap.js';

describe('BoundedHeap', () => {
  it('keeps exactly the best k of any sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: 0, max: 12 }), (xs, k) => {
        const heap = new BoundedHeap<number>(k, (a, b) => b - a);
        for (const x of xs) heap.offer(x);
        expect(heap.sorted()).toEqual([...xs].sort((a, b) => b - a).slice(0, k));
      }),
    );
  });
});
