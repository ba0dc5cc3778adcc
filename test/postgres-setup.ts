// Global setup of the `postgres` vitest project: the cluster named by SIGNALS_TEST_PG_URL (.ci/run starts one), or a
// throwaway one started here with scripts/pg-cluster.sh and stopped afterwards.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const SCRIPT = new URL('../scripts/pg-cluster.sh', import.meta.url).pathname;

export default function setup(project: TestProject): () => void {
  const given = process.env.SIGNALS_TEST_PG_URL?.trim();
  if (given) {
    project.provide('pgUrl', given);
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'signals-pg-'));
  const url = execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8' }).trim();
  project.provide('pgUrl', url);
  return () => {
    execFileSync('bash', [SCRIPT, 'stop', dir]);
    rmSync(dir, { recursive: true, force: true });
  };
}
