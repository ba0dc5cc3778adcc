/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, never a downloaded browser, started with the
 * flags this closed network needs and a fresh profile directory. Browser tests are never skipped: `npm test` runs
 * scripts/ensure-chromium.mjs first (installs it as root on Debian, else says what to install), and a missing
 * browser fails the launch with the same instruction.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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
