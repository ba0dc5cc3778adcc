import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
