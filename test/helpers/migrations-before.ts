import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * The committed migrations of `migrationsDir` up to (not including) `tag`, copied to a folder of their own in `dir`,
 * so a test can write a store as it was before that migration and then run the rest.
 */
export function migrationsBefore(migrationsDir: string, tag: string, dir: string): string {
  const out = join(dir, 'migrations-before');
  cpSync(migrationsDir, out, { recursive: true });
  const journalPath = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}
