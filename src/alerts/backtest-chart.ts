/**
 * A backtest as a picture, drawn on the server (pure string building, no DOM): the metric series, the threshold,
 * pending and firing bands, and a mark per notification. Gaps in the line are no data. A series longer than the plot
 * is wide in pixels is drawn from buckets of consecutive evaluations (each a vertical stroke from its lowest to its
 * highest value, its band the worst state held), and notifications one mark per kind and pixel: the picture stays a
 * few hundred kilobytes at most whatever the number of evaluations.
 */
import { type BacktestResult, downsampleSteps, drain } from './backtest.js';
import type { ResolvedAlertRule } from './rule.js';

/** Chart options. */
export interface BacktestChartOptions {
  width?: number;
  height?: number;
  title?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const M = { left: 56, right: 16, top: 34, bottom: 44 };

function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : spanMs > 86_400_000 ? `${iso.slice(8, 10)}T${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** Points drawn between two pauses of `backtestChartSteps`. */
const POINTS_PER_STEP = 5_000;

/** The SVG of a backtest of `rule` (times in UTC). */
export function backtestChart(result: BacktestResult, rule: ResolvedAlertRule, options: BacktestChartOptions = {}): string {
  return drain(backtestChartSteps(result, rule, options));
}

/** `backtestChart` in steps: pauses (yields) every few thousand points, returns the SVG (see `backtestSteps`). */
export function* backtestChartSteps(result: BacktestResult, rule: ResolvedAlertRule, options: BacktestChartOptions = {}): Generator<void, string, void> {
  const W = options.width ?? 720;
  const H = options.height ?? 260;
  const w = W - M.left - M.right;
  const h = H - M.top - M.bottom;
  const share = rule.comparison !== 'change' && (rule.metric === 'true_rate' || rule.metric === 'value_share');
  const fmt = (v: number): string => (share ? `${Number((v * 100).toFixed(1))}%` : rule.comparison === 'change' ? `${Number(v.toFixed(1))}%` : String(Number(v.toFixed(2))));

  // A loop, not Math.min(...values): a long backtest has more points than a call has room for arguments.
  let lo = Math.min(0, rule.threshold);
  let hi = Math.max(rule.threshold, share ? 0.05 : 1);
  for (const [i, p] of result.series.entries()) {
    if (i > 0 && i % POINTS_PER_STEP === 0) yield;
    if (p.value === null) continue;
    if (p.value < lo) lo = p.value;
    if (p.value > hi) hi = p.value;
  }
  const step = niceStep(hi - lo || 1, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const t0 = result.since;
  const t1 = Math.max(result.until, t0 + 1);
  const x = (t: number): number => M.left + ((t - t0) / (t1 - t0)) * w;
  const y = (v: number): number => M.top + (1 - (v - lo) / (hi - lo)) * h;
  const f = (n: number): string => n.toFixed(1);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="11" role="img">`,
    `<title>${esc(options.title ?? `Backtest of ${rule.name}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="18" font-size="13" font-weight="bold">${esc(options.title ?? `Backtest: ${rule.name}`)}</text>`,
  ];
  // State bands: each evaluation's state holds until the next evaluation (a bucket's, its worst state).
  const pts = (yield* downsampleSteps(result.series, w)).points;
  for (let i = 0, sinceStep = 0; i < pts.length; ) {
    const s = pts[i].state;
    let j = i;
    while (j + 1 < pts.length && pts[j + 1].state === s) j++;
    sinceStep += j + 1 - i;
    if (sinceStep >= POINTS_PER_STEP) {
      sinceStep = 0;
      yield;
    }
    if (s === 'pending' || s === 'firing') {
      const end = j + 1 < pts.length ? pts[j + 1].at : result.until;
      const fill = s === 'firing' ? '#fdd' : '#fff1cc';
      out.push(`<rect x="${f(x(pts[i].at))}" y="${M.top}" width="${f(Math.max(1, x(end) - x(pts[i].at)))}" height="${h}" fill="${fill}"><title>${s}</title></rect>`);
    }
    i = j + 1;
  }
  for (let v = lo; v <= hi + step / 1e6; v += step) {
    out.push(
      `<line x1="${M.left}" x2="${M.left + w}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${f(y(v) + 4)}" text-anchor="end" fill="#555">${fmt(v)}</text>`,
    );
  }
  const span = t1 - t0;
  const tstep = niceStep(span, 6) >= 3_600_000 ? Math.ceil(span / 6 / 3_600_000) * 3_600_000 : Math.max(60_000, Math.ceil(span / 6 / 60_000) * 60_000);
  for (let t = Math.ceil(t0 / tstep) * tstep; t <= t1; t += tstep) {
    out.push(
      `<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${M.top + h}" y2="${M.top + h + 4}" stroke="#555"/>`,
      `<text x="${f(x(t))}" y="${M.top + h + 16}" text-anchor="middle" fill="#555">${timeLabel(t, span)}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" x2="${M.left + w}" y1="${M.top + h}" y2="${M.top + h}" stroke="#555"/>`,
    `<line x1="${M.left}" x2="${M.left + w}" y1="${f(y(rule.threshold))}" y2="${f(y(rule.threshold))}" stroke="#d62728" stroke-dasharray="6 4"/>`,
    `<text x="${M.left + w}" y="${f(y(rule.threshold) - 4)}" text-anchor="end" fill="#d62728">threshold ${fmt(rule.threshold)}</text>`,
  );
  // The metric, one polyline per run of evaluations with data.
  let run: string[] = [];
  const flush = () => {
    if (run.length === 1) out.push(`<circle cx="${run[0].split(',')[0]}" cy="${run[0].split(',')[1]}" r="1.5" fill="#1f77b4"/>`);
    if (run.length > 1) out.push(`<polyline points="${run.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
    run = [];
  };
  const point = (at: number, v: number) => `${f(x(at))},${f(y(Math.min(hi, Math.max(lo, v))))}`;
  for (const [i, p] of pts.entries()) {
    if (i > 0 && i % POINTS_PER_STEP === 0) yield;
    if ('min' in p) {
      if (p.min === null || p.max === null) flush();
      else run.push(point(p.at, p.min), point(p.at, p.max));
    } else if (p.value === null) flush();
    else run.push(point(p.at, p.value));
  }
  flush();
  const marked = new Set<string>();
  for (const [i, n] of result.notifications.entries()) {
    if (i > 0 && i % POINTS_PER_STEP === 0) yield;
    const cx = x(n.at);
    const mark = `${n.kind} ${Math.round(cx)}`;
    if (marked.has(mark)) continue;
    marked.add(mark);
    const color = n.kind === 'firing' ? '#d62728' : '#2ca02c';
    out.push(
      `<path d="M${f(cx - 4)},${M.top - 8} L${f(cx + 4)},${M.top - 8} L${f(cx)},${M.top - 1} Z" fill="${color}"><title>${n.kind}${n.repeat ? ' (repeat)' : ''} ${new Date(n.at).toISOString()}</title></path>`,
    );
  }
  const metric = rule.metric + (rule.value ? `{${rule.value}}` : '') + (rule.comparison === 'change' ? ' change vs prior window' : '');
  const legendY = H - 8;
  out.push(
    `<line x1="${M.left}" x2="${M.left + 18}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="#1f77b4" stroke-width="2"/>`,
    `<text x="${M.left + 22}" y="${legendY}">${esc(metric)} over ${esc(rule.window)}, every ${f(rule.everyMs / 60_000).replace(/\.0$/, '')}m</text>`,
    `<rect x="${M.left + 290}" y="${legendY - 9}" width="12" height="10" fill="#fff1cc"/><text x="${M.left + 306}" y="${legendY}">pending</text>`,
    `<rect x="${M.left + 360}" y="${legendY - 9}" width="12" height="10" fill="#fdd"/><text x="${M.left + 376}" y="${legendY}">firing</text>`,
    `<path d="M${M.left + 424},${legendY - 9} L${M.left + 432},${legendY - 9} L${M.left + 428},${legendY - 2} Z" fill="#d62728"/><text x="${M.left + 437}" y="${legendY}">notification</text>`,
    `<path d="M${M.left + 508},${legendY - 9} L${M.left + 516},${legendY - 9} L${M.left + 512},${legendY - 2} Z" fill="#2ca02c"/><text x="${M.left + 521}" y="${legendY}">resolved</text>`,
    `</svg>`,
  );
  return `${out.join('\n')}\n`;
}
