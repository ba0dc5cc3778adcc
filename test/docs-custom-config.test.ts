import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/custom/config.js';

describe('docs/signals.md "Config format" example config', () => {
  it('is a valid signals.config.yaml', () => {
    const page = readFileSync(new URL('../docs/signals.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('### Config format'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const config = loadConfig(yaml!, 'docs/signals.md');
    expect(config.signals.map((s) => [s.name, s.judge, s.scope])).toEqual([['gave-up-after-errors', 'rules-then-llm', 'session']]);
  });
});
