import { describe, expect, it } from 'vitest';
import { estimateTokens, fitTranscript, renderTranscript } from './transcript.js';
import { Semaphore } from './semaphore.js';

describe('transcript', () => {
  it('names each role and numbers the messages', () => {
    expect(
      renderTranscript([
        { from: 'system', value: 's' },
        { from: 'human', value: 'h' },
        { from: 'function_call', value: 'f' },
        { from: 'observation', value: 'o' },
        { from: 'gpt', value: 'g' },
        { from: 'other', value: 'x' },
      ]),
    ).toBe('[1] System:\ns\n\n[2] User:\nh\n\n[3] Tool call:\nf\n\n[4] Tool result:\no\n\n[5] Assistant:\ng\n\n[6] other:\nx');
  });
  it('leaves a transcript within budget unchanged', () => {
    expect(fitTranscript('abcd'.repeat(100), 100)).toEqual({ text: 'abcd'.repeat(100), cutTokens: 0, totalTokens: 100 });
  });
  it('keeps the first and last halves of the budget, never splitting a surrogate pair', () => {
    const text = `${'x'.repeat(199)}😀${'m'.repeat(1000)}😀${'y'.repeat(199)}`;
    const fit = fitTranscript(text, 100);
    const [head, tail] = fit.text.split(/\n\n\[… .* …\]\n\n/);
    expect(head).toBe('x'.repeat(199));
    expect(tail).toBe(`😀${'y'.repeat(199)}`);
    expect(fit.totalTokens).toBe(estimateTokens(text));
    expect(fit.cutTokens).toBe(Math.ceil((text.length - 199 - 201) / 4));
  });
});

describe('Semaphore', () => {
  it('admits at most `limit` tasks, in arrival order', async () => {
    const s = new Semaphore(2);
    const order: string[] = [];
    let peak = 0;
    const task = (name: string) =>
      s.run(async () => {
        peak = Math.max(peak, s.active);
        order.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`end ${name}`);
      });
    await Promise.all(['a', 'b', 'c', 'd'].map(task));
    expect(peak).toBe(2);
    expect(order.filter((o) => o.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d']);
    expect(s.active).toBe(0);
  });
  it('releases the slot when a task throws', async () => {
    const s = new Semaphore(1);
    await expect(s.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await s.run(async () => 42)).toBe(42);
  });
});
