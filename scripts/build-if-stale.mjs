// Builds dist/ unless every compiled file is newer than every source file: npm's `prepare` (run after `npm ci`,
// and again when the first `npx signals` links this package into npm's exec cache, where a rebuild would cost a
// silent minute), `npm run demo` and the test scripts (so a CI run compiles once, in `npm ci`, not once per suite).
// TypeScript is resolved from this package's own node_modules, not the PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The newest (or oldest) modification time of the files under `dir` whose names end with `suffix`. */
function mtimes(dir, suffix, pick, start) {
  let t = start;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) t = mtimes(path, suffix, pick, t);
    else if (entry.name.endsWith(suffix)) t = pick(t, statSync(path).mtimeMs);
  }
  return t;
}

const dist = join(root, 'dist');
if (existsSync(join(dist, 'node', 'cli.js'))) {
  const sources = Math.max(
    mtimes(join(root, 'src'), '.ts', Math.max, 0),
    statSync(join(root, 'tsconfig.json')).mtimeMs,
    statSync(join(root, 'tsconfig.build.json')).mtimeMs,
  );
  if (mtimes(dist, '.js', Math.min, Infinity) >= sources) process.exit(0);
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
