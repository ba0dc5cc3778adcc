import type { EvalFigures, EvalReport } from './evaluate.js';

const PANEL_W = 320;
const PANEL_H = 260;
const M = { left: 48, right: 24, top: 28, bottom: 40 };
const SERIES = [
  { key: 'triage', label: 'triage', color: '#1f77b4', dash: '' },
  { key: 'reference', label: 'reference bucket', color: '#ff7f0e', dash: '6 4' },
  { key: 'random', label: 'random', color: '#7f7f7f', dash: '2 3' },
] as const;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(title: string, f: EvalFigures, x0: number): string {
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const px = (b: number) => x0 + M.left + b * w;
  const py = (p: number) => M.top + (1 - p) * h;
  const out: string[] = [`<text x="${px(0.5)}" y="16" text-anchor="middle" font-weight="bold">${esc(title)} (n=${f.n})</text>`];
  for (let t = 0; t <= 4; t++) {
    const v = t / 4;
    out.push(
      `<line x1="${px(0)}" x2="${px(1)}" y1="${py(v)}" y2="${py(v)}" stroke="#e5e5e5"/>`,
      `<text x="${px(0) - 6}" y="${py(v) + 4}" text-anchor="end">${v * 100}%</text>`,
      `<text x="${px(v)}" y="${py(0) + 16}" text-anchor="middle">${v * 100}%</text>`,
    );
  }
  out.push(
    `<line x1="${px(0)}" x2="${px(1)}" y1="${py(0)}" y2="${py(0)}" stroke="#000"/>`,
    `<line x1="${px(0)}" x2="${px(0)}" y1="${py(0)}" y2="${py(1)}" stroke="#000"/>`,
    `<text x="${px(0.5)}" y="${PANEL_H - 6}" text-anchor="middle">review budget (share of conversations)</text>`,
    `<text transform="translate(${x0 + 12} ${py(0.5)}) rotate(-90)" text-anchor="middle">share failed</text>`,
  );
  for (const s of SERIES) {
    const points = f.curve.map((c) => `${px(c.budget).toFixed(1)},${py(c[s.key]).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`);
  }
  return out.join('\n');
}

/**
 * A hand-written SVG of precision (share of failures among the reviewed) against review budget for the
 * triage ranking, the reference bucket and random sampling: one panel for all sources, one per source.
 */
export function precisionChartSvg(report: EvalReport): string {
  const panels: [string, EvalFigures][] = [['all', report], ...Object.entries(report.by_source)];
  const width = PANEL_W * panels.length;
  const legendY = PANEL_H + 8;
  const legend = SERIES.map(
    (s, i) =>
      `<line x1="${20 + i * 170}" x2="${50 + i * 170}" y1="${legendY + 8}" y2="${legendY + 8}" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>` +
      `<text x="${56 + i * 170}" y="${legendY + 12}">${s.label}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_H + 28}" viewBox="0 0 ${width} ${PANEL_H + 28}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels.map(([name, f], i) => panel(name, f, i * PANEL_W)),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
