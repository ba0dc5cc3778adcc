import { describe, expect, it } from 'vitest';
import { ProviderBreakers, providerCalls } from './breakers.js';

describe('ProviderBreakers', () => {
  it('pauses after failures in a row, lets one trial through after the pause, doubles the pause when it fails', () => {
    let now = 0;
    const b = new ProviderBreakers(() => now, { threshold: 3, pauseMs: 1000, maxPauseMs: 3000 });
    expect(b.admit('p', 4)).toBe(4);
    b.failed('p', 'HTTP 500');
    b.succeeded('p');
    b.failed('p', 'HTTP 500');
    b.failed('p', 'HTTP 500');
    expect(b.paused('p')).toBeUndefined();
    b.failed('p', 'HTTP 503');
    expect(b.paused('p')).toEqual({ reason: 'HTTP 503 (3 failures in a row)', until: 1000 });
    expect(b.admit('p', 4)).toBe(0);
    now = 1000;
    expect(b.admit('p', 4)).toBe(1);
    // While the trial is out the provider still shows as paused, and no second call is admitted.
    expect(b.paused('p')).toBeDefined();
    expect(b.admit('p', 4)).toBe(0);
    b.failed('p', 'no answer before the timeout');
    expect(b.paused('p')).toEqual({ reason: 'no answer before the timeout (4 failures in a row; the retry failed)', until: 3000 });
    now = 3000;
    expect(b.admit('p', 2)).toBe(1);
    b.failed('p', 'HTTP 500');
    expect(b.paused('p')?.until).toBe(6000); // capped at maxPauseMs
    now = 6000;
    expect(b.admit('p', 2)).toBe(1);
    b.succeeded('p');
    expect(b.paused('p')).toBeUndefined();
    expect(b.admit('p', 2)).toBe(2);
    expect(b.pauses().size).toBe(0);
  });

  it('providerCalls: 5xx/429/network failures feed the breaker, answers close it, paused providers are not called', async () => {
    const b = new ProviderBreakers(() => 0, { threshold: 2 });
    let calls = 0;
    const status = [500, 429, 200];
    const base = (async () => new Response('{}', { status: status[calls++] })) as typeof fetch;
    const c = providerCalls(b, 'p', base);
    await c.fetch('http://x');
    expect(c.faulted).toBe(true);
    await c.fetch('http://x');
    expect(b.paused('p')?.reason).toBe('HTTP 429 (2 failures in a row)');
    await expect(c.fetch('http://x')).rejects.toThrow('provider p is paused: HTTP 429 (2 failures in a row)');
    expect(calls).toBe(2);
    expect(c.failures).toBe(3);
  });
});
