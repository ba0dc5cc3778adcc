import { describe, expect, it } from 'vitest';
import { AlertRuleError, parseAlertRule, validateAlertRule, validateAlertRules } from './rule.js';

const base = { name: 'frustration up', signal: 'frustration', metric: 'true_rate', comparison: 'above', threshold: 0.3, window: '1h' };

describe('alert rule schema', () => {
  it('applies defaults and resolves durations', () => {
    expect(parseAlertRule(base)).toEqual({
      name: 'frustration up',
      signal: 'frustration',
      metric: 'true_rate',
      comparison: 'above',
      threshold: 0.3,
      window: '1h',
      windowMs: 3_600_000,
      everyMs: 60_000,
      forMs: 0,
      cooldownMs: 3_600_000,
      evaluationDelayMs: 0,
      minLabels: 1,
      no_data: 'ok',
      channels: [],
    });
    expect(parseAlertRule({ ...base, metric: 'volume', threshold: 10 }).minLabels).toBe(0);
  });

  it('reports every problem with its path', () => {
    const r = validateAlertRule(
      { ...base, metric: 'value_share', threshold: 2, window: '1m', for: 'soon', channels: [{ type: 'webhook' }, { type: 'email', to: ['nope'] }] },
      ['alerts', 2],
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { path: 'alerts[2].window', message: 'must be between 5m and 2d (got 1m)' },
      { path: 'alerts[2].for', message: 'not a duration like "5m", "1h30m" (got "soon")' },
      { path: 'alerts[2].channels[0].url', message: 'webhook channel: give exactly one of url, url_env' },
      { path: 'alerts[2].channels[1].to[0]', message: expect.stringMatching(/email/i) },
      { path: 'alerts[2].value', message: 'value_share needs the label value to count' },
      { path: 'alerts[2].threshold', message: 'value_share is a share: threshold must be between 0 and 1' },
    ]);
  });

  it('needs a value for value_* metrics and a share threshold in [0, 1]', () => {
    expect(() => parseAlertRule({ ...base, metric: 'value_count' })).toThrow(AlertRuleError);
    expect(() => parseAlertRule({ ...base, metric: 'value_count' })).toThrow('value: value_count needs the label value to count');
    expect(() => parseAlertRule({ ...base, value: 'yes' })).toThrow('value: value is only for value_count / value_share');
    expect(() => parseAlertRule({ ...base, threshold: 30 })).toThrow('threshold: true_rate is a share: threshold must be between 0 and 1');
    expect(parseAlertRule({ ...base, comparison: 'change', threshold: 30 }).threshold).toBe(30);
  });

  it('rejects unknown fields', () => {
    expect(() => parseAlertRule({ ...base, treshold: 1 })).toThrow(/treshold/);
  });

  it('validates the config file list: every rule, unique names', () => {
    expect(validateAlertRules({})).toEqual({ ok: false, problems: [{ path: 'alerts', message: 'must be a list of alert rules' }] });
    expect(validateAlertRules([base, { ...base, window: '3d' }, base])).toEqual({
      ok: false,
      problems: [
        { path: 'alerts[1].window', message: 'must be between 5m and 2d (got 3d)' },
        { path: 'alerts[2].name', message: 'duplicate alert name "frustration up" (also alerts[0])' },
      ],
    });
    const ok = validateAlertRules([base, { ...base, name: 'other' }]);
    expect(ok.ok && ok.value.map((r) => r.name)).toEqual(['frustration up', 'other']);
  });
});
