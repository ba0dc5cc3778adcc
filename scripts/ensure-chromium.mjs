#!/usr/bin/env node
/**
 * Run before `npm test`: the browser tests drive Debian's Chromium at /usr/bin/chromium and are never skipped.
 * When it is missing and this runs as root on Debian, it installs the `chromium` package with apt-get; otherwise
 * it stops with exactly what to install. CHROMIUM_INSTALL=0 turns the automatic install off.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const debian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (!root || !debian || process.env.CHROMIUM_INSTALL === '0') {
    const how = debian ? 'sudo apt-get update && sudo apt-get install -y chromium' : 'install Chromium so that /usr/bin/chromium exists';
    console.error(`ensure-chromium: ${CHROMIUM} not found; the browser tests need it: ${how}`);
    process.exit(1);
  }
  console.error(`ensure-chromium: ${CHROMIUM} not found, installing Debian's chromium package (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (run.status !== 0) {
      console.error(`ensure-chromium: apt-get ${args.join(' ')} failed (exit ${run.status}); install chromium by hand`);
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`ensure-chromium: the chromium package did not provide ${CHROMIUM}`);
    process.exit(1);
  }
}
