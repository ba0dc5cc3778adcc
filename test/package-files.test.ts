import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the published package', () => {
  it('ships the licence, the code and the sample, and no test file', () => {
    // --ignore-scripts: no rebuild; the list comes from package.json "files" and what dist/ holds now.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('corpus/sample.sharegpt.jsonl');
    expect(files).toContain('dist/node/cli.js');
    // The stores apply these at start: without them an installed package could not open a new store.
    expect(files).toContain('migrations/0000_init.sql');
    expect(files).toContain('migrations-pg/0000_init.sql');
    expect(files.filter((path) => /\.test\.|^test\//.test(path))).toEqual([]);
  }, 120_000);
});
