/**
 * Labels over time as a picture drawn on the server (pure string building, so Workers need no chart asset):
 * one row per label value, a bar per time bucket, each row scaled to its own peak, which is written beside it.
 */
import type { DistributionBucket } from '../../service/api.js';

/** One row of the chart. */
export interface ChartSeries {
  value: string;
  colour: string;
  /** What the row is called (`value` when absent): an agent's name with what nobody sees in it escaped. */
  label?: string;
}

/** Chart options. */
export interface LabelsChartOptions {
  title?: string;
  width?: number;
  /** Height of one row. */
  rowHeight?: number;
  /** What the bars count (default `labels`). */
  unit?: string;
}

// Characters XML 1.0 does not allow at all (escaped or not): one in an agent's name made the whole SVG unreadable.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const esc = (s: string): string =>
  s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (n: number): string => n.toFixed(1);

/** A count in at most four characters (999, 1.2k, 12k, 1.2M): the row's peak fits the right margin. */
function compact(n: number): string {
  if (n < 1000) return String(n);
  const [d, unit] = n < 1e6 ? [1e3, 'k'] : [1e6, 'M'];
  const v = n / d;
  return `${v < 10 ? (Math.floor(v * 10) / 10).toString() : Math.floor(v).toString()}${unit}`;
}

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  if (spanMs > 3 * 86_400_000) return iso.slice(5, 10);
  if (spanMs > 86_400_000) return `${iso.slice(8, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 16);
}

/** The SVG of `buckets` (all of one size, `bucketMs`), one row per series (a label value, or an agent); times in UTC. */
export function labelsChart(buckets: readonly DistributionBucket[], bucketMs: number, series: readonly ChartSeries[], options: LabelsChartOptions = {}): string {
  const W = options.width ?? 720;
  // A narrow chart (a phone) keeps its text size and gives the bars what room there is.
  const narrow = W < 520;
  const M = { left: narrow ? 84 : 118, right: narrow ? 46 : 54, top: narrow ? 44 : 30, bottom: 26 };
  const rowH = options.rowHeight ?? 64;
  const rows = Math.max(1, series.length);
  const H = M.top + rows * rowH + M.bottom;
  const w = W - M.left - M.right;
  const t0 = buckets.length > 0 ? Date.parse(buckets[0].start) : 0;
  const t1 = buckets.length > 0 ? Date.parse(buckets[buckets.length - 1].start) + bucketMs : bucketMs;
  const x = (t: number): number => M.left + ((t - t0) / (t1 - t0)) * w;
  const barW = Math.max(1, (w / Math.max(1, buckets.length)) * 0.8);
  const title = options.title ?? 'Labels over time';
  const total = buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text x="${narrow ? 8 : W - 8}" y="${narrow ? 34 : 18}" text-anchor="${narrow ? 'start' : 'end'}" fill="#555">${total} ${esc(options.unit ?? 'labels')} · ${esc(bucketLabel(bucketMs))} buckets · UTC</text>`,
  ];
  if (series.length === 0) out.push(`<text x="${M.left}" y="${M.top + rowH / 2}" fill="#555">No ${esc(options.unit ?? 'labels')} in this window.</text>`);
  series.forEach((s, r) => {
    const top = M.top + r * rowH;
    const base = top + rowH - 8;
    const name = s.label ?? s.value;
    const peak = Math.max(0, ...buckets.map((b) => b.counts[s.value] ?? 0));
    const sum = buckets.reduce((n, b) => n + (b.counts[s.value] ?? 0), 0);
    out.push(
      `<g data-value="${esc(s.value)}">`,
      `<rect x="8" y="${f(top + rowH / 2 - 14)}" width="12" height="12" rx="2" fill="${s.colour}"/>`,
      `<text x="26" y="${f(top + rowH / 2 - 4)}" font-weight="bold">${esc(name.length > (narrow ? 8 : 14) ? `${name.slice(0, narrow ? 7 : 12)}…` : name)}</text>`,
      `<text x="26" y="${f(top + rowH / 2 + 10)}" fill="#555">${sum} total</text>`,
      `<line x1="${M.left}" x2="${M.left + w}" y1="${f(base)}" y2="${f(base)}" stroke="#ccc"/>`,
      // Right-aligned to the edge, in the margin: left-aligned past the bars, a narrow chart cut its last digits off.
      `<text x="${W - 2}" y="${f(top + 16)}" text-anchor="end" fill="#555">max ${compact(peak)}</text>`,
    );
    const h = rowH - 20;
    buckets.forEach((b) => {
      const n = b.counts[s.value] ?? 0;
      if (n === 0) return;
      const bh = Math.max(1.5, (n / peak) * h);
      const t = Date.parse(b.start);
      out.push(`<rect x="${f(x(t) + (w / buckets.length - barW) / 2)}" y="${f(base - bh)}" width="${f(barW)}" height="${f(bh)}" fill="${s.colour}"><title>${esc(name)}: ${n} at ${b.start}</title></rect>`);
    });
    out.push('</g>');
  });
  // Time axis: ticks on bucket boundaries, about six, fewer on a narrow chart so their labels (~60 px) never touch.
  const axisY = M.top + rows * rowH;
  const span = t1 - t0;
  const ticks = Math.max(2, Math.min(6, Math.floor(w / 75)));
  const every = Math.max(1, Math.ceil(buckets.length / ticks));
  for (let i = 0; i <= buckets.length; i += every) {
    const t = t0 + i * bucketMs;
    out.push(
      `<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${axisY}" y2="${axisY + 4}" stroke="#555"/>`,
      `<text x="${f(x(t))}" y="${axisY + 16}" text-anchor="middle" fill="#555">${timeLabel(t, span)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

function bucketLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
