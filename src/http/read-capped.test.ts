import { describe, expect, it } from 'vitest';
import { readCapped } from './read-capped.js';

function streamOf(parts: number[][], failAfter?: number): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let i = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && i === failAfter) controller.error(new Error('broken'));
      else if (i < parts.length) controller.enqueue(new Uint8Array(parts[i++]));
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe('readCapped', () => {
  it('joins the chunks in order', async () => {
    const { stream } = streamOf([[1, 2], [3], [4, 5, 6]]);
    expect([...(await readCapped(stream, 6, () => new Error('too large')))]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('throws tooLarge and cancels the stream once past the cap', async () => {
    const { stream, cancelled } = streamOf([[1, 2], [3, 4], [5]]);
    await expect(readCapped(stream, 3, () => new Error('too large'))).rejects.toThrow('too large');
    expect(cancelled()).toBe(true);
  });

  it('replaces a stream error with readFailed, or lets it through without one', async () => {
    await expect(readCapped(streamOf([[1]], 1).stream, 10, () => new Error('too large'), () => new Error('bad data'))).rejects.toThrow('bad data');
    await expect(readCapped(streamOf([[1]], 1).stream, 10, () => new Error('too large'))).rejects.toThrow('broken');
  });
});
