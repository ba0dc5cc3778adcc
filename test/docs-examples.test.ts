// Runs the shell examples of the README and docs/ that are marked runnable (an HTML comment `<!-- runnable -->` on
// the line before a ```sh block) as a reader in a clone would: in the repository, `npx signals` and `npm run …` as
// written, from a fresh npm cache (so `npx` links the package as on first use). Outputs go to the ignored out/ and
// .signals/; a block that uses a store sets SIGNALS_DB (the README's path uses .signals/demo.db, as `npm run demo`
// does). Blocks of one page run in order, so a page's path (demo, create, labels, alert) runs end to end; each block
// must exit 0 and print something.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runnableBlocks } from './helpers/doc-blocks.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const dir = mkdtempSync(join(tmpdir(), 'signals-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment a reader starts from: none of the caller's signals settings, an npm cache of its own. */
function readerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(SIGNALS_|npm_|VITEST|NODE_OPTIONS)/.test(k)) env[k] = v;
  return {
    ...env,
    SIGNALS_CORPUS_DIR: process.env.SIGNALS_CORPUS_DIR,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    COLUMNS: '120',
  };
}

describe('runnable shell examples of the README and docs/', () => {
  const all = pages.map((page) => ({ page, blocks: runnableBlocks(readFileSync(join(ROOT, page), 'utf8')) }));

  it('the README and several docs pages have runnable examples', () => {
    expect(all.find((p) => p.page === 'README.md')!.blocks.length).toBeGreaterThanOrEqual(4);
    expect(all.filter((p) => p.blocks.length > 0).length).toBeGreaterThanOrEqual(4);
  });

  for (const { page, blocks } of all.filter((p) => p.blocks.length > 0)) {
    it(`${page}: ${blocks.length} block(s) run and exit 0`, { timeout: 600_000 }, () => {
      const env = readerEnv();
      for (const block of blocks) {
        const r = spawnSync('bash', ['-euo', 'pipefail', '-c', block.script], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
        const where = `${page}:${block.line}\n${block.script}\n--- stdout\n${r.stdout?.slice(-2000)}\n--- stderr\n${r.stderr?.slice(-2000)}`;
        expect(r.status, where).toBe(0);
        // Every example prints something a reader can check (a result, a table, a summary).
        expect(`${r.stdout}${r.stderr}`.trim(), where).not.toBe('');
      }
    });
  }
});
