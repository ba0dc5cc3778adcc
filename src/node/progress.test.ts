import { describe, expect, it } from 'vitest';
import { formatProgress, silentProgress, streamProgress } from './progress.js';
import { newTotals } from './run-totals.js';

function totalsAt(read: number, bytes: number, totalBytes?: number) {
  const totals = newTotals(1, totalBytes, 1);
  totals.startedAt = 0;
  totals.scored = read;
  totals.inputBytes = bytes;
  return totals;
}

describe('formatProgress', () => {
  it('shows counts and rates, plus percent and ETA when the size is known', () => {
    expect(formatProgress(totalsAt(2000, 4_000_000), 2000)).toBe('2,000 conversations  1,000 conv/s  2.0 MB/s');
    expect(formatProgress(totalsAt(2000, 4_000_000, 16_000_000), 2000)).toBe('2,000 conversations  1,000 conv/s  2.0 MB/s  25%  ETA 0:06');
  });

  it('mentions rejected records', () => {
    const totals = totalsAt(1, 10);
    totals.rejected = 3;
    expect(formatProgress(totals, 1000)).toBe('4 conversations  4 conv/s  0.0 MB/s  3 rejected');
  });
});

describe('streamProgress', () => {
  it('redraws one line on a TTY and clears it at the end', () => {
    const written: string[] = [];
    const progress = streamProgress({ isTTY: true, write: (text: string) => written.push(text) });
    progress.update(totalsAt(1, 1), 100);
    progress.update(totalsAt(2, 2), 150);
    progress.print('in.jsonl:4: invalid JSON');
    progress.print('in.jsonl:5: invalid JSON');
    progress.update(totalsAt(3, 3), 400);
    progress.finish();
    expect(written).toEqual([
      '\r\x1b[K1 conversations  10 conv/s  0.0 MB/s',
      '\r\x1b[Kin.jsonl:4: invalid JSON\n',
      'in.jsonl:5: invalid JSON\n',
      '\r\x1b[K3 conversations  8 conv/s  0.0 MB/s',
      '\r\x1b[K',
    ]);
  });

  it('cuts the status line to a narrow terminal so it never wraps', () => {
    const written: string[] = [];
    const progress = streamProgress({ isTTY: true, columns: 20, write: (text: string) => written.push(text) });
    progress.update(totalsAt(1, 1), 100);
    expect(written).toEqual(['\r\x1b[K1 conversations  1…']);
    expect(written[0].slice('\r\x1b[K'.length).length).toBe(19);
  });

  it('escapes control bytes of the input in printed lines', () => {
    const written: string[] = [];
    streamProgress({ isTTY: false, write: (text: string) => written.push(text) }).print('in.jsonl:2: unknown role "\x1b[2J"');
    silentProgress({ write: (text: string) => written.push(text) }).print('id\x07\nnext');
    expect(written).toEqual(['in.jsonl:2: unknown role "\\x1b[2J"\n', 'id\\x07\\x0anext\n']);
  });

  it('writes a plain line every 2 s when not a TTY', () => {
    const written: string[] = [];
    const progress = streamProgress({ isTTY: false, write: (text: string) => written.push(text) });
    for (const now of [500, 1500, 2100, 3000, 4200]) progress.update(totalsAt(now, 0), now);
    progress.finish();
    expect(written).toEqual(['2,100 conversations  1,000 conv/s  0.0 MB/s\n', '4,200 conversations  1,000 conv/s  0.0 MB/s\n']);
  });
});

describe('silentProgress', () => {
  it('shows no progress but still prints lines', () => {
    const written: string[] = [];
    const progress = silentProgress({ write: (text: string) => written.push(text) });
    progress.update(totalsAt(1, 1), 5000);
    progress.print('in.jsonl:2: bad');
    progress.finish();
    expect(written).toEqual(['in.jsonl:2: bad\n']);
  });
});
