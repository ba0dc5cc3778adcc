// End to end with the built CLI, as a user would script it: from an empty store, ingest the bundled sample,
// create a signal from the task-outcome template, test it, activate it, backfill it, then create an alert and
// backtest it, checking each output (and the numbers against each other).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATE_MODELS } from '../src/custom/templates/models/index.js';
import { BUILT_CLI as CLI } from './helpers/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'signals-e2e-'));
const env = { PATH: process.env.PATH ?? '', SIGNALS_DB: join(dir, 'signals.db'), COLUMNS: '200' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(script: string): { code: number; out: string; err: string } {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { ...env, SIGNALS: `${process.execPath} ${CLI}` } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('signals CLI end to end', () => {
  // A dozen CLI processes one after another: seconds on a quiet machine, minutes on a busy two-core one.
  it('ingest → create --template → test → activate → run --wait → alerts create && backtest', () => {
    const ingest = sh('$SIGNALS ingest --sample --agent ridgeline-support');
    expect(ingest).toEqual({ code: 0, out: 'ingested 150 spans (150 new) from the sample; 0 labels, 0 queued for the LLM judge\n', err: '' });

    const create = sh('$SIGNALS create --template task-outcome --agent ridgeline-support');
    expect(create.code, create.err).toBe(0);
    expect(create.out).toMatch(new RegExp(`^created task-outcome version 1, draft: session scope, labels completed, partial, failed, abandoned, judge ${TEMPLATE_MODELS['task-outcome'].judge}\n$`));

    const test = sh('$SIGNALS test --signal task-outcome --store --sample 100 --json');
    expect(test.code, test.err).toBe(0);
    const preview = JSON.parse(test.out) as { n: number; distribution: Record<string, number>; rows: { id: string; label: string | null }[] };
    // The sample has 25 conversations, one session each.
    expect(preview.n).toBe(25);
    expect(new Set(preview.rows.map((r) => r.id)).size).toBe(25);
    expect(Object.values(preview.distribution).reduce((a, b) => a + b, 0)).toBe(25);

    expect(sh('$SIGNALS activate task-outcome')).toEqual({ code: 0, out: 'task-outcome is active (version 1)\n', err: '' });

    const run = sh('$SIGNALS run task-outcome --since 2d --wait --json');
    expect(run.code, run.err).toBe(0);
    const done = JSON.parse(run.out) as { status: string; done: number; total: number; counts: Record<string, number> };
    expect(done).toMatchObject({ status: 'done', done: 25, total: 25 });
    // The backfill labels the same sessions with the same rules as the preview did.
    expect(done.counts).toEqual(preview.distribution);

    const labels = JSON.parse(sh('$SIGNALS labels task-outcome --limit 500 --json').out) as { items: { at: string; value: string | null }[] };
    expect(labels.items).toHaveLength(25);

    const until = new Date().toISOString();
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const alert = sh(
      `$SIGNALS alerts create --signal task-outcome --name failures --metric value_share --value failed --comparison above --threshold 0.2 --window 6h --every 10m --min-labels 3 && $SIGNALS alerts backtest failures --since ${since} --until ${until} --json`,
    );
    expect(alert.code, alert.err).toBe(0);
    const [createdLine, ...jsonLines] = alert.out.split('\n');
    expect(createdLine).toMatch(/^created alert failures \(alt_\w+\) on task-outcome: ok$/);
    const bt = JSON.parse(jsonLines.join('\n')) as { evaluations: number; transitions: { at: number; from: string; to: string; value: number | null }[] };
    const every = 600_000;
    expect(bt.evaluations).toBe(Math.floor(Date.parse(until) / every) - Math.ceil(Date.parse(since) / every) + 1);

    // Recompute the failed share at each transition from the labels themselves.
    const share = (t: number) => {
      const inWindow = labels.items.filter((l) => Date.parse(l.at) > t - 6 * 3_600_000 && Date.parse(l.at) <= t && l.value !== null);
      return inWindow.length < 3 ? null : inWindow.filter((l) => l.value === 'failed').length / inWindow.length;
    };
    const fired = bt.transitions.filter((t) => t.to === 'firing');
    expect(fired.length).toBeGreaterThan(0);
    for (const t of bt.transitions) {
      const at = typeof t.at === 'number' ? t.at : Date.parse(String(t.at));
      if (t.to === 'firing') {
        expect(share(at)).toBeGreaterThan(0.2);
        expect(t.value).toBeCloseTo(share(at)!, 9);
      }
      if (t.from === 'firing' && t.to === 'ok') expect(share(at) === null || share(at)! <= 0.2).toBe(true);
    }

    const text = sh(`$SIGNALS alerts backtest failures --since ${since} --until ${until}`);
    expect(text.out.split('\n')[0]).toBe(`failures: ${bt.evaluations} evaluations, ${bt.transitions.length} transitions, ${text.out.match(/(\d+) notifications/)![1]} notifications`);
    expect(text.out).toContain('ok      firing');
  }, 300_000);
});
