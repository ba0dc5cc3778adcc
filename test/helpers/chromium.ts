/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, never a downloaded browser, started with the
 * flags this closed network needs and a fresh profile directory. Browser tests skip only on a machine without
 * Chromium outside CI; in CI a missing browser fails the launch.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** True when browser tests must be skipped: no Chromium here and not in CI. */
export const noChromium = !existsSync(CHROMIUM) && !process.env.CI;

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
