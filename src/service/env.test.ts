import { describe, expect, it } from 'vitest';
import { serviceOptionsFromEnv } from './env.js';

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
