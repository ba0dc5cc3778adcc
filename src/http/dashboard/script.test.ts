import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleName } from '../../formats/agent-name.js';
import { DASHBOARD_JS } from './client.js';

describe('dashboard script', () => {
  // Every view shares the module's scope: two views declaring the same name stop the whole dashboard from loading.
  it('parses as a module (no name declared twice across the views)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-js-'));
    try {
      writeFileSync(join(dir, 'app.mjs'), DASHBOARD_JS);
      expect(() => execFileSync(process.execPath, ['--check', join(dir, 'app.mjs')], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The page has its own copy of visibleName (no build step): a reviewer must see in the dashboard what the CLI shows.
  it("shows agents' names as src/formats/agent-name.ts visibleName does", () => {
    const constants = DASHBOARD_JS.split('\n').filter((line) => /^const (NAME_ESCAPES|NAME_ESCAPES_NOT_NFC|CONFUSABLE_SCRIPTS) = /.test(line));
    const source = /^const SCRIPT_LETTERS = .*\nfunction visibleName\(name\) \{$[\s\S]*?^\}$/m.exec(DASHBOARD_JS)?.[0];
    expect(source).toBeDefined();
    const pageVisibleName = new Function(`${constants.join('\n')}\n${source}\nreturn visibleName;`)() as (name: string) => string;
    for (const name of ['shop', 'shop\u200b', 'cafe\u0301', 'p\u0430ypal', '\u0431a\u043d\u043a\u200b', 'a\u03b1\u0430', '\u0431\u0430\u043d\u043a', 'bot-\u30dc\u30c3\u30c8', '\uff53hop', 'caf\u00e9 \ufb01', '\uff50\u0430ypal']) {
      expect(pageVisibleName(name), name).toBe(visibleName(name));
    }
    const unit = fc.constantFrom('a', 'p', '\u0430', '\u03bf', '\u0585', '\u13aa', '\u30dc', '\u0301', ' ', '\u200b', '\u00a0', '1', '\uff41', '\ufb01', '\u00e9', '\u00b5', '\u{1d400}');
    fc.assert(
      fc.property(fc.string({ unit }), (name) => {
        expect(pageVisibleName(name)).toBe(visibleName(name));
      }),
    );
  });
});
