// The shared corpus concatenated again and again into bench/.data until it reaches a size (kept between runs).
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const corpusDir = resolve(root, '../shared/corpus');
export const dataDir = join(root, 'bench/.data');

/** Path of a JSONL file of at least `sizeMb` MB made of the corpus files whose names end with `suffix`. */
export async function replicatedCorpus(sizeMb, suffix = '.jsonl') {
  const targetBytes = sizeMb * 1e6;
  const path = join(dataDir, `corpus${suffix.replace(/\.jsonl$/, '').replace(/\W/g, '-')}-${sizeMb}mb.jsonl`);
  if (existsSync(path) && statSync(path).size >= targetBytes) return path;
  const files = readdirSync(corpusDir).filter((name) => name.endsWith(suffix)).sort();
  if (files.length === 0) throw new Error(`no corpus files ending in ${suffix} in ${corpusDir}`);
  mkdirSync(dataDir, { recursive: true });
  const out = createWriteStream(path);
  let written = 0;
  while (written < targetBytes) {
    for (const name of files) {
      const bytes = readFileSync(join(corpusDir, name));
      if (!out.write(bytes)) await once(out, 'drain');
      written += bytes.length;
    }
  }
  out.end();
  await once(out, 'close');
  return path;
}
