import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../usage-error.js';

const GLOB_CHARS = /[*?]/;

function segmentPattern(segment: string): RegExp {
  const source = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`);
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir === '' ? '.' : dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Paths under `dir` matching the remaining segments; `**` matches any number of directories, hidden names need a leading dot. */
function walk(dir: string, segments: string[], found: string[]): void {
  const [segment, ...rest] = segments;
  if (segment === '**') {
    walk(dir, rest, found);
    for (const entry of entries(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), segments, found);
    }
    return;
  }
  const pattern = segmentPattern(segment);
  for (const entry of entries(dir)) {
    if (!pattern.test(entry.name) || (entry.name.startsWith('.') && !segment.startsWith('.'))) continue;
    const path = join(dir, entry.name);
    if (rest.length === 0) {
      if (entry.isFile()) found.push(path);
    } else if (entry.isDirectory()) {
      walk(path, rest, found);
    }
  }
}

/**
 * Expands `*`, `?` and `**` in input arguments (for shells that pass globs through, and for Windows), sorted per
 * pattern; arguments without glob characters, and `-`, are kept as they are. A pattern that matches no file is a
 * usage error.
 */
export function expandGlobs(args: readonly string[]): string[] {
  const paths: string[] = [];
  for (const arg of args) {
    if (arg === '-' || !GLOB_CHARS.test(arg)) {
      paths.push(arg);
      continue;
    }
    const segments = arg.split('/');
    // The literal directories before the first glob segment (`..`, `/`, `C:`) are taken as given, not listed.
    const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
    const base = firstGlob === 0 ? '' : segments.slice(0, firstGlob).join('/') || '/';
    const found: string[] = [];
    walk(base, segments.slice(firstGlob).filter((segment) => segment !== ''), found);
    const files = [...new Set(found)].sort();
    if (files.length === 0) throw new UsageError(`${arg}: no files match`);
    paths.push(...files);
  }
  return paths;
}
