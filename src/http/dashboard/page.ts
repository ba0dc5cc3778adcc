/**
 * The dashboard page served at `GET /`: a shell whose views (signals, a signal, a target, agents) the module
 * /dashboard/app.js draws from the REST API. No inline script, nothing from elsewhere.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agent-signals dashboard</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/app.css">
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<a class="skip" href="#view">Skip to content</a>
<header class="top">
  <a class="brand" href="#/signals">agent-signals</a>
  <nav aria-label="Sections">
    <a href="#/sessions" data-nav="sessions">Sessions</a>
    <a href="#/traces" data-nav="traces">Traces</a>
    <a href="#/signals" data-nav="signals">Signals</a>
    <a href="#/agents" data-nav="agents">Agents</a>
    <a href="#/new" data-nav="new" data-needs="change_signals">New signal</a>
    <a href="#/review" data-nav="review">Review</a>
    <a href="/playground">Playground</a>
  </nav>
  <form id="token-form" class="token" autocomplete="off">
    <label for="token">API token</label>
    <input id="token" type="password" placeholder="if the server needs one">
    <button type="submit" class="secondary">Save</button>
  </form>
  <span id="caller" class="caller" hidden></span>
</header>
<div id="notice" role="status" aria-live="polite"></div>
<main id="view" tabindex="-1"><p class="hint">Loading…</p></main>
</body>
</html>
`;

/**
 * The dashboard's navigation for another page of this server (the playground): the same sections, linked to the
 * dashboard at `/`, with the playground marked as the current page.
 */
export const DASHBOARD_NAV_ELSEWHERE = (DASHBOARD_HTML.match(/<nav[\s\S]*?<\/nav>/) ?? [''])[0]
  .replace(/href="#\//g, 'href="/#/')
  .replace('<a href="/playground">', '<a href="/playground" aria-current="page">');
