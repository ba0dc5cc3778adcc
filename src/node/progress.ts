import { escapeControls } from './escape-controls.js';
import type { RunTotals } from './run-totals.js';

/** Where progress goes: stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  /** Terminal width (a TTY's `columns`): the status line is cut to it so it never wraps. */
  columns?: number;
  write(text: string): unknown;
}

/** Reports progress while a run goes on; `finish` clears a TTY status line before the summary is printed. */
export interface Progress {
  update(totals: RunTotals, now: number): void;
  /** Prints a line (a rejected record) without mixing it into the status line. */
  print(line: string): void;
  finish(): void;
}

const TTY_INTERVAL_MS = 200;
const PLAIN_INTERVAL_MS = 2000;

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const clock = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h > 0 ? `${h}:${clock}` : clock;
}

/** One progress line: conversations, conv/s, MB/s, and percent + ETA when the input size is known. */
export function formatProgress(totals: RunTotals, now: number): string {
  const seconds = Math.max((now - totals.startedAt) / 1000, 1e-3);
  const read = totals.scored + totals.rejected;
  const parts = [
    `${read.toLocaleString('en-US')} conversations`,
    `${Math.round(read / seconds).toLocaleString('en-US')} conv/s`,
    `${(totals.inputBytes / 1e6 / seconds).toFixed(1)} MB/s`,
  ];
  if (totals.totalBytes !== undefined && totals.totalBytes > 0) {
    const fraction = Math.min(totals.inputBytes / totals.totalBytes, 1);
    const eta = fraction > 0 ? (seconds * (1 - fraction)) / fraction : Number.NaN;
    parts.push(`${(fraction * 100).toFixed(0)}%`, Number.isFinite(eta) ? `ETA ${duration(eta)}` : 'ETA ?');
  }
  if (totals.rejected > 0) parts.push(`${totals.rejected.toLocaleString('en-US')} rejected`);
  return parts.join('  ');
}

/** The status line cut to one column less than the terminal (the last column would wrap on some terminals). */
export function fitWidth(line: string, columns: number | undefined): string {
  if (columns === undefined || columns < 2 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}

/** No progress (`--quiet`); printed lines still go out. */
export function silentProgress(stream: ProgressStream): Progress {
  return { update: () => {}, print: (line) => stream.write(`${escapeControls(line)}\n`), finish: () => {} };
}

/** A status line redrawn in place on a TTY (5 times a second), or a plain line every 2 s otherwise (logs, CI). */
export function streamProgress(stream: ProgressStream): Progress {
  const tty = stream.isTTY === true;
  let lastAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(totals, now) {
      if (now - lastAt < (tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
      if (!tty && now - totals.startedAt < PLAIN_INTERVAL_MS) return;
      lastAt = now;
      const line = formatProgress(totals, now);
      stream.write(tty ? `\r\x1b[K${fitWidth(line, stream.columns)}` : `${line}\n`);
      drawn = tty;
    },
    print(line) {
      // Rejection lines quote the input: its control bytes are escaped, never sent to the terminal.
      stream.write(drawn ? `\r\x1b[K${escapeControls(line)}\n` : `${escapeControls(line)}\n`);
      drawn = false;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
