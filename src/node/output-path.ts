import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/**
 * Makes sure `path` can be written before a run starts: creates the missing parent directories (unless
 * `createParents` is false) one level at a time (never `mkdir -p`, which loops forever under /proc), then opens the file for appending, which creates it
 * and fails at once on a read-only or missing location. Throws a one-line UsageError naming the path.
 */
export function prepareOutputPath(path: string, createParents = true): void {
  try {
    const missing: string[] = [];
    let dir = dirname(resolve(path));
    while (!existsSync(dir)) {
      missing.push(dir);
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
    if (missing.length > 0 && !createParents) throw new Error(`no directory ${missing[0]}`);
    for (const level of missing.reverse()) mkdirSync(level);
    closeSync(openSync(path, 'a'));
  } catch (error) {
    throw new UsageError(`${path}: cannot write (${(error as Error).message})`);
  }
}
