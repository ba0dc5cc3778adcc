import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The shared corpus directory (`SIGNALS_CORPUS_DIR`, default `../shared` beside the project). Suites under
 * `test/corpus/` call this; a missing directory is one clear failure, never a skipped test.
 */
export function corpusDir(): string {
  const dir = resolve(process.env.SIGNALS_CORPUS_DIR ?? resolve(import.meta.dirname, '../../../shared'));
  if (!existsSync(dir)) throw new Error(`corpus directory ${dir} not found: set SIGNALS_CORPUS_DIR to the shared data (corpus/, parity/)`);
  return dir;
}

/** A path inside the corpus directory, e.g. `corpusPath('parity', 'sgd.reports.jsonl')`. */
export function corpusPath(...parts: string[]): string {
  return resolve(corpusDir(), ...parts);
}
