/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, never a downloaded browser, started with the
 * flags this closed network needs and a fresh profile directory. Browser tests are never skipped: `npm test` runs
 * scripts/ensure-chromium.mjs first (installs it as root on Debian, else says what to install), and a missing
 * browser fails the launch with the same instruction.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';


const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs `use` with a fresh headless Chromium context, closed and its profile removed afterwards. */
export async function withChromium<T>(use: (context: BrowserContext) => Promise<T>): Promise<T> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'agent-signals-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    return await use(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The committed pictures of the docs. */
const DOCS_SHOTS = 'docs/screenshots';

/** Each file of `dir` with its size and modification time (empty when the folder is missing). */
function listing(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((f) => [f, `${statSync(join(dir, f)).size} ${statSync(join(dir, f)).mtimeMs}`]));
}

/**
 * The folder a browser test writes the screenshots the docs show, created. A test run writes them to
 * test-output/screenshots/ (gitignored) and checks, after the file's tests, that docs/screenshots/ is as it was:
 * tests leave the tracked tree alone. `npm run docs:screenshots` (UPDATE_DOCS=1) writes them to docs/screenshots/.
 */
export function screenshotDir(): string {
  const dir = process.env.UPDATE_DOCS === '1' ? DOCS_SHOTS : 'test-output/screenshots';
  mkdirSync(dir, { recursive: true });
  if (dir !== DOCS_SHOTS) {
    const before = listing(DOCS_SHOTS);
    afterAll(() => expect(listing(DOCS_SHOTS), `a test wrote into ${DOCS_SHOTS}/ (npm run docs:screenshots refreshes it)`).toEqual(before));
  }
  return dir;
}
