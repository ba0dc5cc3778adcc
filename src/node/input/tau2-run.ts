import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../usage-error.js';

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function parseFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

/** True for a tau2-bench run directory of the newer layout: `results.json` beside a `simulations/` folder. */
export async function isTau2RunDirectory(dir: string): Promise<boolean> {
  if (!(await isDirectory(dir))) return false;
  const results = await stat(join(dir, 'results.json')).catch(() => undefined);
  return results?.isFile() === true && (await isDirectory(join(dir, 'simulations')));
}

/**
 * A tau2-bench run directory (`results.json` + `simulations/*.json`, one simulation per file) → one JSON document
 * in the older single-file shape (`{...results, simulations: [...]}`), which the `tau` format reads; simulations
 * in file-name order, each id once. A file that is not JSON is a usage error naming it. The files are read whole:
 * a run is a few megabytes, not a stream.
 */
export async function tau2RunDocument(dir: string): Promise<Buffer> {
  const results = await parseFile(join(dir, 'results.json'));
  if (typeof results !== 'object' || results === null || Array.isArray(results)) throw new UsageError(`${join(dir, 'results.json')}: not a JSON object`);
  const listed = (results as { simulations?: unknown }).simulations;
  const simulations: unknown[] = Array.isArray(listed) ? [...listed] : [];
  const seen = new Set(simulations.map((simulation) => (simulation as { id?: unknown } | null)?.id).filter((id) => id !== undefined));
  const names = (await readdir(join(dir, 'simulations'))).filter((name) => name.endsWith('.json')).sort();
  for (const name of names) {
    const simulation = await parseFile(join(dir, 'simulations', name));
    const id = (simulation as { id?: unknown } | null)?.id;
    if (id !== undefined && seen.has(id)) continue;
    if (id !== undefined) seen.add(id);
    simulations.push(simulation);
  }
  return Buffer.from(JSON.stringify({ ...results, simulations }));
}
