import { describe, expect, it } from 'vitest';
import { serviceOptionsFromEnv } from './env.js';
import { judgeThreadsFromEnv } from './node-runner.js';

describe('replica settings from the environment', () => {
  it('reads the replica id and lease time; unset leaves the defaults to the runner', () => {
    expect(serviceOptionsFromEnv({ SIGNALS_REPLICA_ID: ' web-1 ', SIGNALS_LEASE_MS: '15000' })).toMatchObject({ replicaId: 'web-1', leaseMs: 15000 });
    const none = serviceOptionsFromEnv({});
    expect('replicaId' in none || 'leaseMs' in none).toBe(false);
  });

  it('stops the start with the variable named on a bad value', () => {
    expect(() => serviceOptionsFromEnv({ SIGNALS_LEASE_MS: 'soon' })).toThrow(/SIGNALS_LEASE_MS must be a positive number, got "soon"/);
    expect(() => serviceOptionsFromEnv({ SIGNALS_LEASE_MS: '500' })).toThrow(/SIGNALS_LEASE_MS must be whole milliseconds from 1000 to 86400000/);
    expect(() => serviceOptionsFromEnv({ SIGNALS_LEASE_MS: '1500.5' })).toThrow(/SIGNALS_LEASE_MS/);
    expect(() => serviceOptionsFromEnv({ SIGNALS_REPLICA_ID: 'a b' })).toThrow(/SIGNALS_REPLICA_ID must be 1-200 letters/);
  });
});

describe('judge threads from the environment', () => {
  it('reads SIGNALS_JUDGE_THREADS (0: the main thread), unset leaves the default, a bad value stops the start', () => {
    expect(judgeThreadsFromEnv({})).toBeUndefined();
    expect(judgeThreadsFromEnv({ SIGNALS_JUDGE_THREADS: '0' })).toBe(0);
    expect(judgeThreadsFromEnv({ SIGNALS_JUDGE_THREADS: ' 3 ' })).toBe(3);
    for (const bad of ['two', '-1', '1.5', '65']) expect(() => judgeThreadsFromEnv({ SIGNALS_JUDGE_THREADS: bad })).toThrow(/SIGNALS_JUDGE_THREADS must be a whole number from 0 to 64/);
  });
});
