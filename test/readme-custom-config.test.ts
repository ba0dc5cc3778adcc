import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/custom/config.js';

describe('README "Custom signals" example config', () => {
  it('is a valid signals.config.yaml', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Custom signals'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const config = loadConfig(yaml!, 'README.md');
    expect(config.signals.map((s) => [s.name, s.judge, s.scope])).toEqual([['gave-up-after-errors', 'rules-then-llm', 'session']]);
  });
});
