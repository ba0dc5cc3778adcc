import { type Context, Hono } from 'hono';
import { TEMPLATES, templateDefinition } from '../../custom/templates/index.js';
import { type DistributionBucket, ServiceError, type SignalsApi, type TrafficBucket } from '../../service/api.js';
import { parseDuration } from '../../service/time.js';
import { serviceErrorResponse } from '../routes-signals.js';
import { labelsChart } from './chart.js';
import { definitionLabels, labelColour, PALETTE } from './colours.js';
import { DASHBOARD_CSS } from './styles.js';
import { FORM_CSS } from './form-styles.js';
import { DASHBOARD_JS } from './client.js';
import { DASHBOARD_HTML } from './page.js';
import { visibleName } from '../../formats/agent-name.js';

/**
 * The dashboard's own files: `GET /` (the page), `GET /signals/NAME` (where alert notifications link: redirects to that signal's view), `/favicon.svg`, `/dashboard/app.js` (its script, a module from this origin, so
 * the CSP needs no inline script) and `/dashboard/app.css`. Static strings: the same on Node and Workers.
 */
export function dashboardPages(): Hono {
  const r = new Hono();
  r.get('/', (c) => c.html(DASHBOARD_HTML));
  // Alert notifications link `{dashboard}/signals/NAME`: the dashboard's view of that signal is `#/signal/NAME`.
  // Relative, so a dashboard served under a path prefix (behind a proxy) keeps it.
  r.get('/signals/:name', (c) => c.redirect(`../#/signal/${encodeURIComponent(c.req.param('name'))}`, 302));
  r.get('/dashboard/app.js', (c) => c.body(DASHBOARD_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  r.get('/favicon.svg', (c) => c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'max-age=86400' }));
  // Browsers that ignore <link rel="icon"> ask for /favicon.ico; they read SVG there too.
  r.get('/favicon.ico', (c) => c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'max-age=86400' }));
  r.get('/dashboard/app.css', (c) => c.body(DASHBOARD_CSS + FORM_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
  return r;
}

/** The icon: three signal bars, the middle one raised (one flagged conversation among many), on the header's ink. */
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d2330"/><rect x="6" y="16" width="5" height="10" rx="1.5" fill="#8a93a6"/><rect x="13.5" y="6" width="5" height="20" rx="1.5" fill="#d9480f"/><rect x="21" y="12" width="5" height="14" rx="1.5" fill="#8a93a6"/></svg>`;

/**
 * The `/v1` reads the dashboard needs beyond the signals routes: `GET /v1/templates` (what a signal can be
 * created from, with each template's whole definition for the New signal form to start from), `GET /v1/traffic.svg?bucket=&since=&until=&agent=&width=` (traces per agent over time) and `GET /v1/signals/:ref/chart.svg?bucket=&since=&until=&value=` (labels over time drawn here; `width` in pixels, 320 to 1600, default 720, so a phone gets a chart its size).
 */
export function dashboardApiRoutes(apiOf: (c: Context) => SignalsApi): Hono {
  const r = new Hono();
  r.onError((err, c) => {
    if (err instanceof ServiceError) return serviceErrorResponse(c, err);
    throw err;
  });
  r.get('/templates', (c) =>
    c.json(
      TEMPLATES.map((t) => {
        const d = templateDefinition(t.id)!;
        return { id: t.id, title: t.title, name: d.name, scope: d.scope, type: d.type, labels: definitionLabels(d), description: d.description ?? null, definition: d };
      }),
    ),
  );
  r.get('/signals/:ref/chart.svg', async (c) => {
    const q = c.req.query();
    const bucket = q.bucket || '1h';
    const bucketMs = parseDuration(bucket, 'bucket');
    const signal = await apiOf(c).getSignal(c.req.param('ref'));
    const buckets = await apiOf(c).distribution(signal.id, { bucket, since: q.since || undefined, until: q.until || undefined });
    const labels = definitionLabels(signal.definition);
    // The current version's labels first (in order), then any other value the window holds (older versions, undecided, error).
    const seen = new Set(buckets.flatMap((b) => Object.keys(b.counts)));
    let values = [...labels.filter((l) => seen.has(l) || signal.definition.type === 'binary'), ...[...seen].filter((v) => !labels.includes(v)).sort()];
    if (q.value) values = values.filter((v) => v === q.value);
    const width = chartWidth(q.width);
    const svg = labelsChart(buckets, bucketMs, values.map((value) => ({ value, colour: labelColour(value, labels) })), { title: `${signal.name}: labels over time`, width });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
  });
  r.get('/traffic.svg', async (c) => {
    const q = c.req.query();
    const bucket = q.bucket || '1h';
    const bucketMs = parseDuration(bucket, 'bucket');
    const traffic = await apiOf(c).traffic({ agent: q.agent || undefined, bucket, since: q.since || undefined, until: q.until || undefined });
    const { agents, other, buckets } = busiestAgents(traffic, MAX_CHART_AGENTS);
    const series = agents.map((value, i) => ({ value, colour: value === other ? OTHER_COLOUR : PALETTE[i % PALETTE.length], label: visibleName(value) }));
    const svg = labelsChart(buckets, bucketMs, series, { title: 'Traces per agent', unit: 'traces', width: chartWidth(q.width) });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
  });
  return r;
}

/** Most agents the traffic chart draws a row for; the others share one row, so 1,000 agents still make a chart a screen tall. */
export const MAX_CHART_AGENTS = 12;
const OTHER_AGENTS = 'other agents';
const OTHER_COLOUR = '#8a93a6';

/**
 * The `max` busiest agents of the window by traces (name order among them), each bucket's other agents summed in an
 * "other agents" row named with how many it holds.
 */
function busiestAgents(traffic: TrafficBucket[], max: number): { agents: string[]; other: string | null; buckets: DistributionBucket[] } {
  const totals = new Map<string, number>();
  for (const b of traffic) for (const [agent, n] of Object.entries(b.traces)) totals.set(agent, (totals.get(agent) ?? 0) + n);
  const all = [...totals.keys()].sort();
  if (all.length <= max) return { agents: all, other: null, buckets: traffic.map((b) => ({ start: b.start, counts: b.traces })) };
  const kept = new Set([...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max - 1).map(([agent]) => agent));
  const other = `${OTHER_AGENTS} (${all.length - kept.size})`;
  const buckets = traffic.map((b) => {
    const counts: Record<string, number> = {};
    for (const [agent, n] of Object.entries(b.traces)) {
      const key = kept.has(agent) ? agent : other;
      counts[key] = (counts[key] ?? 0) + n;
    }
    return { start: b.start, counts };
  });
  return { agents: [...all.filter((a) => kept.has(a)), other], other, buckets };
}

function chartWidth(text: string | undefined): number {
  if (text === undefined || text === '') return 720;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 320 || n > 1600) throw new ServiceError('invalid', `width must be an integer from 320 to 1600 (pixels), got "${text}"`);
  return n;
}
