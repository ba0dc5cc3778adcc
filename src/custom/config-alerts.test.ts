import { describe, expect, it } from 'vitest';
import { DefinitionError, loadConfig, validateConfig } from './config.js';

const rule = { name: 'high', signal: 'frustration', metric: 'true_rate', comparison: 'above', threshold: 0.3, window: '1h' };

describe('config file alerts', () => {
  it('accepts valid rules and keeps them as written (defaults are the service’s)', () => {
    const r = validateConfig({ alerts: [rule, { ...rule, name: 'drop', comparison: 'change', threshold: -50, for: '10m' }] });
    expect(r.ok && r.value.alerts).toEqual([rule, { ...rule, name: 'drop', comparison: 'change', threshold: -50, for: '10m' }]);
  });

  it('reports every problem of every rule with its path', () => {
    const r = validateConfig({
      alerts: [
        { ...rule, window: '1m', extra: true },
        { ...rule, metric: 'value_share' },
        rule,
        rule,
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { path: 'alerts[0].window', message: 'must be between 5m and 2d (got 1m)' },
      { path: 'alerts[0]', message: 'unknown field "extra"' },
      { path: 'alerts[1].value', message: 'value_share needs the label value to count' },
      { path: 'alerts[3].name', message: 'duplicate alert name "high" (also alerts[2])' },
    ]);
  });

  it('names the file in the thrown error', () => {
    const text = 'alerts:\n  - { name: x, signal: s, metric: volume, comparison: above, threshold: 1, window: 3d }\n';
    expect(() => loadConfig(text, 'a.yaml')).toThrow(DefinitionError);
    expect(() => loadConfig(text, 'a.yaml')).toThrow('a.yaml: invalid signal definition:\nalerts[0].window: must be between 5m and 2d (got 3d)');
  });
});
