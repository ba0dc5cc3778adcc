import { FIXED_COLOURS, PALETTE } from './colours.js';

/**
 * The dashboard's script (served at /dashboard/app.js as a module): hash routes `#/signals`, `#/signal/ID`,
 * `#/target/KIND/ID` and `#/agents`, each drawn from the REST API with the bearer token kept in localStorage.
 * Plain DOM code, no framework and no build step; text goes in through textContent only (the one exception is
 * the SVG the server draws, parsed as SVG). Written without backticks because it is itself a template literal.
 */
const BODY = String.raw`
const TOKEN_KEY = "agent-signals-token";
const GROUPS = [["interaction_signals","misalignment"],["interaction_signals","stagnation"],["interaction_signals","disengagement"],
  ["interaction_signals","satisfaction"],["execution_signals","failure"],["execution_signals","loops"],["environment_signals","exhaustion"]];
const WINDOWS = [["6h", "15m", "Last 6 hours"], ["24h", "1h", "Last 24 hours"], ["7d", "6h", "Last 7 days"], ["30d", "1d", "Last 30 days"]];
const view = document.getElementById("view");
let generation = 0;

function h(tag, attrs) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = String(v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
  return node;
}
function append(node, child) {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
  else node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
}

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }
async function request(method, path, body, accept) {
  const headers = { accept: accept || "application/json" };
  if (token()) headers.authorization = "Bearer " + token();
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch("/v1" + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let message = "HTTP " + res.status;
    try {
      const e = (await res.json()).error;
      message = e.message + (e.details && e.details.length ? " (" + e.details.join("; ") + ")" : "");
    } catch (err) { /* not a JSON error body */ }
    if (res.status === 401) message += ": set the API token at the top of the page";
    throw new Error(message);
  }
  return accept ? res.text() : res.json();
}
const api = {
  get: function (p) { return request("GET", p); },
  post: function (p, b) { return request("POST", p, b === undefined ? {} : b); },
  patch: function (p, b) { return request("PATCH", p, b); },
  svg: function (p) { return request("GET", p, undefined, "image/svg+xml"); },
};
const enc = encodeURIComponent;
function qs(o) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== "") p.set(k, v);
  const s = p.toString();
  return s ? "?" + s : "";
}

let noticeAt = 0;
function notice(message, isError) {
  const n = document.getElementById("notice");
  noticeAt = message ? Date.now() : 0;
  n.className = isError ? "error" : "";
  n.textContent = message || "";
}
function fail(err) { notice(err.message || String(err), true); }
async function guarded(button, work) {
  button.disabled = true;
  try { await work(); } catch (err) { fail(err); } finally { button.disabled = false; }
}

function colour(value, labels) {
  if (FIXED_COLOURS[value]) return FIXED_COLOURS[value];
  const i = labels.indexOf(value);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  let x = 0;
  for (let k = 0; k < value.length; k++) x = (x * 31 + value.charCodeAt(k)) >>> 0;
  return PALETTE[x % PALETTE.length];
}
function inkOn(hex) {
  const n = parseInt(hex.slice(1), 16);
  const lum = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return lum > 0.6 ? "#1d2330" : "#fff";
}
function chip(value, labels) {
  const c = colour(value, labels || []);
  const node = h("span", { class: "chip", text: value, "data-value": value });
  node.style.background = c;
  node.style.color = inkOn(c);
  return node;
}
function labelsOf(def) { return def.type === "binary" ? ["yes", "no"] : (def.labels || []).map(function (l) { return l.name; }); }
function orderedKeys(counts, labels) {
  const keys = Object.keys(counts);
  return labels.filter(function (l) { return keys.includes(l); }).concat(keys.filter(function (k) { return !labels.includes(k); }).sort());
}
function distBar(counts, labels) {
  const keys = orderedKeys(counts, labels);
  const total = keys.reduce(function (n, k) { return n + counts[k]; }, 0);
  const bar = h("div", { class: "dist", role: "img", "aria-label": total === 0 ? "no labels in the last 24 hours" : keys.map(function (k) { return k + " " + counts[k]; }).join(", ") });
  keys.forEach(function (k) {
    const part = h("span", { title: k + ": " + counts[k] });
    part.style.width = (100 * counts[k] / total) + "%";
    part.style.background = colour(k, labels);
    bar.appendChild(part);
  });
  const legend = h("div", { class: "legend" }, keys.map(function (k) {
    const dot = h("i");
    dot.style.background = colour(k, labels);
    return h("span", {}, dot, k + " " + counts[k]);
  }));
  return h("div", {}, bar, total === 0 ? h("div", { class: "legend", text: "no labels" }) : legend);
}
function time(v) {
  if (v === null || v === undefined) return "";
  const d = typeof v === "number" ? new Date(v) : new Date(String(v));
  return isNaN(d.getTime()) ? String(v) : d.toISOString().slice(0, 16).replace("T", " ");
}
function badge(state) { return h("span", { class: "badge " + state, text: state }); }
function card(title) {
  const rest = Array.prototype.slice.call(arguments, 1);
  return h("section", { class: "card", "aria-label": title }, h("h2", { text: title }), rest);
}
function field(label, control) { return h("label", { class: "field" }, label, control); }
function select(options, value, attrs) {
  const s = h("select", attrs || {});
  options.forEach(function (o) {
    const pair = Array.isArray(o) ? o : [o, o];
    s.appendChild(h("option", { value: pair[0], text: pair[1], selected: pair[0] === value }));
  });
  return s;
}
function table(headers, rows, attrs) {
  return h("div", { class: "table-wrap" }, h("table", attrs || {},
    h("thead", {}, h("tr", {}, headers.map(function (x) { return h("th", { text: x, class: /^(Labelled|Version|Sessions|Traces|Spans|Done)$/.test(x) ? "num" : null, scope: "col" }); }))),
    h("tbody", {}, rows)));
}
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") throw new Error("The chart could not be read");
  return document.importNode(root, true);
}
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }
function signalHref(id) { return "#/signal/" + enc(id); }
function targetHref(kind, id) { return "#/target/" + kind + "/" + enc(id); }
function render(nodes) {
  view.replaceChildren();
  append(view, nodes);
}

const NEXT_STATES = { draft: ["active", "archived"], active: ["disabled", "archived"], disabled: ["active", "archived"], archived: ["disabled"] };
const STATE_VERB = { active: "Activate", disabled: "Disable", archived: "Archive" };
function stateButtons(signal, after) {
  return h("div", { class: "actions" }, NEXT_STATES[signal.state].map(function (to) {
    const verb = signal.state === "archived" ? "Restore" : STATE_VERB[to];
    const b = h("button", { type: "button", class: to === "archived" ? "danger" : to === "active" ? "" : "secondary", text: verb, "aria-label": verb + " " + signal.name, "data-state": to });
    b.addEventListener("click", function () {
      guarded(b, async function () {
        const s = await api.post("/signals/" + enc(signal.id) + "/state", { state: to });
        notice(s.name + " is " + s.state);
        after();
      });
    });
    return b;
  }));
}

// ---- Signals -------------------------------------------------------------------------------------------------
async function signalsView(params) {
  const archived = params.get("archived") === "1";
  const [list, templates, agents] = await Promise.all([api.get("/signals" + qs({ includeArchived: archived ? "true" : "" })), api.get("/templates"), api.get("/agents")]);
  const details = await Promise.all(list.map(function (s) { return api.get("/signals/" + enc(s.id)); }));
  const rows = details.map(function (s) {
    const labels = labelsOf(s.definition);
    return h("tr", { "data-signal": s.name },
      h("td", {}, h("a", { href: signalHref(s.id), text: s.name })),
      h("td", {}, badge(s.state)),
      h("td", { class: "num", text: "v" + s.version }),
      h("td", { class: "hide-sm", text: s.scope }),
      h("td", { class: "hide-sm", text: s.type }),
      h("td", { class: "hide-sm", text: s.agent }),
      h("td", { class: "num", text: s.labelled }),
      h("td", {}, distBar(s.last24h, labels)),
      h("td", {}, stateButtons(s, route)));
  });
  const tpl = select(templates.map(function (t) { return [t.id, t.title + " (" + t.scope + ", " + t.type + ")"]; }), templates[0] && templates[0].id, { id: "template" });
  const name = h("input", { id: "new-name", required: true, size: 18 });
  const agent = h("input", { id: "new-agent", value: agents.length ? agents[0].agent : "*", size: 18 });
  const setName = function () { const t = templates.find(function (x) { return x.id === tpl.value; }); if (t) name.value = t.name; };
  tpl.addEventListener("change", setName);
  setName();
  const create = h("button", { type: "submit", id: "create", text: "Create draft" });
  const form = h("form", { class: "row", id: "create-form" }, field("Template", tpl), field("Name", name), field("Agent", agent), create);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    guarded(create, async function () {
      const s = await api.post("/signals", { template: tpl.value, overrides: { name: name.value.trim(), agent: agent.value.trim() || "*" } });
      notice("Created " + s.name + " (draft, version 1): test it, then activate it");
      go(signalHref(s.id));
    });
  });
  const toggle = h("a", { href: archived ? "#/signals" : "#/signals?archived=1", text: archived ? "Hide archived" : "Show archived" });
  render([
    h("h1", { text: "Signals" }),
    card("New signal from a template", form, h("p", { class: "hint", text: "New signals start as drafts: they label nothing until activated." })),
    card("All signals",
      list.length === 0 ? h("p", { class: "hint", text: "No signals yet: create one from a template above." })
        : table(["Signal", "State", "Version", "Scope", "Type", "Agent", "Labelled", "Last 24 h", "Actions"], rows, { id: "signals-table" }),
      h("p", {}, toggle)),
  ]);
  // The scope/type/agent headers hide on a phone with their cells.
  view.querySelectorAll("#signals-table th").forEach(function (th, i) { if (i >= 3 && i <= 5) th.classList.add("hide-sm"); });
}

// ---- A signal ------------------------------------------------------------------------------------------------
async function signalView(id, params) {
  const g = generation;
  const [s, versions, runs, alerts] = await Promise.all([api.get("/signals/" + enc(id)), api.get("/signals/" + enc(id) + "/versions"), api.get("/signals/" + enc(id) + "/runs"), api.get("/alerts" + qs({ signal: id }))]);
  const labels = labelsOf(s.definition);
  const values = labels.concat(["undecided", "error"]);
  const refresh = function () { go(signalHref(s.id) + "?" + params.toString()); };
  const def = s.definition;

  // Labels over time.
  const win = params.get("window") || "24h";
  const chartWin = select(WINDOWS.map(function (w) { return [w[0], w[2]]; }), win, { id: "chart-window" });
  const chartBox = h("div", { class: "chart", id: "chart" }, h("p", { class: "hint", text: "Drawing…" }));
  const drawChart = async function () {
    const w = WINDOWS.find(function (x) { return x[0] === chartWin.value; }) || WINDOWS[1];
    try {
      const width = Math.max(320, Math.min(1200, Math.floor(chartBox.clientWidth || 720)));
      chartBox.replaceChildren(svgNode(await api.svg("/signals/" + enc(s.id) + "/chart.svg" + qs({ since: w[0], bucket: w[1], width: String(width) }))));
    } catch (err) { chartBox.replaceChildren(h("p", { class: "error", text: err.message })); }
  };
  chartWin.addEventListener("change", drawChart);

  // Labelled targets, filtered by value and window, newest first.
  const valueSel = select([["", "All values"]].concat(values), params.get("value") || "", { id: "filter-value" });
  const sinceSel = select([["", "All time"], ["1h", "Last hour"], ["24h", "Last 24 hours"], ["7d", "Last 7 days"]], params.get("since") || "", { id: "filter-window" });
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "secondary", text: "Load more", hidden: true });
  let cursor = null;
  const loadLabels = async function (reset) {
    if (reset) { tbody.replaceChildren(); cursor = null; }
    const page = await api.get("/signals/" + enc(s.id) + "/labels" + qs({ value: valueSel.value, since: sinceSel.value, cursor: cursor || "", limit: "25" }));
    page.items.forEach(function (l) {
      tbody.appendChild(h("tr", { "data-target": l.targetId },
        h("td", { text: time(l.at) }),
        h("td", {}, h("a", { href: targetHref(l.targetKind, l.targetId), text: l.targetId, title: l.targetKind + " " + l.targetId })),
        h("td", {}, chip(l.value === null ? l.status : l.value, labels)),
        h("td", { class: "expl", text: l.explanation }),
        h("td", { class: "num hide-sm", text: "v" + l.version }),
        h("td", { class: "hide-sm", text: l.judge + (l.runId ? " · backfill" : " · live") })));
    });
    if (tbody.children.length === 0) tbody.appendChild(h("tr", {}, h("td", { colspan: 6, class: "hint", text: "No labels match." })));
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  };
  const onFilter = function () {
    const p = new URLSearchParams(params);
    valueSel.value ? p.set("value", valueSel.value) : p.delete("value");
    sinceSel.value ? p.set("since", sinceSel.value) : p.delete("since");
    history.replaceState(null, "", signalHref(s.id) + "?" + p.toString());
    loadLabels(true).catch(fail);
  };
  valueSel.addEventListener("change", onFilter);
  sinceSel.addEventListener("change", onFilter);
  more.addEventListener("click", function () { guarded(more, function () { return loadLabels(false); }); });
  const labelTable = h("div", { class: "table-wrap" }, h("table", { id: "labels-table", class: "stackable" },
    h("thead", {}, h("tr", {}, ["Time", "Target", "Label", "Explanation", "Version", "Judge"].map(function (x, i) { return h("th", { scope: "col", text: x, class: i >= 4 ? "hide-sm" : null }); }))), tbody));

  // Test (the preview: nothing is written).
  const sample = h("input", { id: "test-sample", type: "number", min: 1, max: 100, value: 20, size: 5 });
  const testBtn = h("button", { type: "button", id: "test", text: "Test on stored traffic" });
  const testOut = h("div", { id: "test-result" });
  testBtn.addEventListener("click", function () {
    guarded(testBtn, async function () {
      const r = await api.post("/signals/" + enc(s.id) + "/test", { sample: Number(sample.value) });
      testOut.replaceChildren(
        h("p", { class: "hint", text: r.rows.length + " targets classified, nothing stored" }), distBar(r.distribution, labels),
        r.rows.length ? table(["Target", "Label", "Explanation"], r.rows.map(function (row) {
          return h("tr", {}, h("td", {}, h("a", { href: targetHref(row.kind, row.id), text: row.id, title: row.kind + " " + row.id })), h("td", {}, chip(row.label || row.status, labels)), h("td", { class: "expl", text: row.explanation }));
        }), { class: "stackable" }) : h("p", { class: "hint", text: "No stored targets for this signal's agent and scope yet." }));
    });
  });

  // Backfill with progress.
  const bfWin = select([["24h", "Last 24 hours"], ["48h", "Last 48 hours"], ["7d", "Last 7 days"], ["30d", "Last 30 days"]], "48h", { id: "backfill-window" });
  const rate = h("input", { id: "backfill-rate", type: "number", min: 0.01, max: 1, step: 0.01, value: def.sample_rate, size: 5 });
  const bfBtn = h("button", { type: "button", id: "backfill", text: "Start backfill" });
  const bfOut = h("div", { id: "backfill-progress" });
  const follow = async function (run, once) {
    const bar = h("progress", { max: Math.max(1, run.total), value: run.done, "aria-label": "Backfill progress" });
    const text = h("p", { class: "hint" });
    bfOut.replaceChildren(bar, text);
    for (;;) {
      bar.max = Math.max(1, run.total);
      bar.value = run.done;
      text.textContent = run.status + ": " + run.done + " / " + run.total + " targets" + (Object.keys(run.counts).length ? " · " + Object.entries(run.counts).map(function (e) { return e[0] + " " + e[1]; }).join(", ") : "") + (run.error ? " · " + run.error : "");
      bfOut.dataset.status = run.status;
      if (once || ["done", "failed", "cancelled"].includes(run.status) || g !== generation) break;
      await new Promise(function (r) { setTimeout(r, 400); });
      run = await api.get("/runs/" + enc(run.id));
    }
    if (!once && run.status === "done" && g === generation) notice("Backfill done: " + run.done + " targets labelled");
  };
  bfBtn.addEventListener("click", function () {
    guarded(bfBtn, async function () {
      const run = await api.post("/signals/" + enc(s.id) + "/runs", { since: bfWin.value, until: new Date(Date.now() + 60000).toISOString(), rate: Number(rate.value) });
      await follow(run);
      if (g === generation) refresh();
    });
  });
  const running = runs.find(function (r) { return r.status === "queued" || r.status === "running"; });
  // A run in progress is followed; otherwise the latest run's outcome stays in view.
  if (running) follow(running).catch(fail);
  else if (runs.length) follow(runs[0], true).catch(fail);

  // Edit: a new version with the changed fields.
  const editor = h("textarea", { id: "definition", spellcheck: "false", "aria-label": "Signal definition (JSON)" });
  editor.value = JSON.stringify(def, null, 2);
  const saveBtn = h("button", { type: "button", id: "save-version", text: "Save as a new version" });
  saveBtn.addEventListener("click", function () {
    guarded(saveBtn, async function () {
      let patch;
      try { patch = JSON.parse(editor.value); } catch (err) { throw new Error("The definition is not valid JSON: " + err.message); }
      const r = await api.patch("/signals/" + enc(s.id), patch);
      notice(r.changes.length ? "Version " + r.signal.version + ": " + r.changes.join("; ") : "Nothing changed");
      refresh();
    });
  });

  render([
    h("p", { class: "muted" }, h("a", { href: "#/signals", text: "Signals" }), " / " + s.name),
    h("h1", {}, s.name, badge(s.state), h("span", { class: "muted", text: "version " + s.version }), stateButtons(s, refresh)),
    h("div", { class: "grid2" },
      card("Definition",
        h("dl", { class: "kv" },
          h("dt", { text: "Agent" }), h("dd", { text: s.agent }),
          h("dt", { text: "Scope / type" }), h("dd", { text: s.scope + " · " + s.type }),
          h("dt", { text: "Labels" }), h("dd", {}, labels.map(function (l) { return [chip(l, labels), " "]; })),
          h("dt", { text: "Judge" }), h("dd", { text: def.judge + " · sample rate " + def.sample_rate }),
          h("dt", { text: "Labelled" }), h("dd", { text: s.labelled + " targets" }),
          h("dt", { text: "Prompt" }), h("dd", { text: def.prompt }))),
      card("Last 24 hours", distBar(s.last24h, labels), h("p", { class: "hint", text: "Updated " + time(s.updatedAt) + " UTC" }))),
    h("div", { class: "stack" }),
    card("Labels over time", h("div", { class: "row" }, field("Window", chartWin)), chartBox),
    card("Labelled targets", h("div", { class: "row" }, field("Value", valueSel), field("Window", sinceSel)), labelTable, more),
    h("div", { class: "grid2" },
      card("Test", h("p", { class: "hint", text: "Classify a sample of stored traffic now; nothing is stored." }), h("div", { class: "row" }, field("Targets", sample), testBtn), testOut),
      card("Backfill", h("p", { class: "hint", text: "Label stored traffic with the current version (targets it already labelled are skipped)." }), h("div", { class: "row" }, field("Window", bfWin), field("Rate", rate), bfBtn), bfOut)),
    h("div", { class: "stack" }),
    await alertsCard(s, alerts, labels, refresh),
    card("Runs", runs.length === 0 ? h("p", { class: "hint", text: "No runs yet." }) : table(["Started", "Kind", "Window", "Status", "Done", "Labels"], runs.map(function (r) {
      return h("tr", {}, h("td", { text: time(r.createdAt) }), h("td", { text: r.kind + " v" + r.version }), h("td", { text: time(r.since) + " → " + time(r.until) }), h("td", {}, badge(r.status)),
        h("td", { class: "num", text: r.done + " / " + r.total }), h("td", {}, distBar(r.counts, labels)));
    }), { id: "runs-table", class: "stackable" })),
    h("div", { class: "grid2" },
      card("Edit", h("p", { class: "hint", text: "Change the prompt, labels, judge, rules, filter or sample rate; saving makes a new version (the scope cannot change)." }), editor, h("div", { class: "row" }, saveBtn)),
      card("Versions", table(["Version", "Created", "Judge", "Sample rate"], versions.slice().reverse().map(function (v) {
        return h("tr", {}, h("td", { class: "num", text: "v" + v.version }), h("td", { text: time(v.createdAt) }), h("td", { text: v.definition.judge }), h("td", { text: String(v.definition.sample_rate) }));
      }), { id: "versions-table" }))),
  ]);
  drawChart();
  await loadLabels(true);
}

function ruleText(rule) {
  if (!rule || typeof rule !== "object") return "";
  const what = rule.metric + (rule.value ? "(" + rule.value + ")" : "");
  const unit = rule.comparison === "change" ? "%" : "";
  return what + " " + rule.comparison + " " + rule.threshold + unit + " over " + rule.window + (rule.for && rule.for !== "0s" ? ", for " + rule.for : "");
}

async function alertsCard(s, alerts, labels, refresh) {
  const out = h("div", { id: "alert-detail" });
  const backtest = function (a, button, win) {
    return guarded(button, async function () {
      const r = await api.post("/alerts/" + enc(a.id) + "/backtest", { since: win, until: new Date().toISOString() });
      const transitions = r.transitions || [];
      const notes = r.notifications || [];
      out.replaceChildren(h("h2", { text: "Backtest of " + a.name + " (" + win + ")" }),
        r.chart ? h("div", { class: "chart", id: "backtest-chart" }, svgNode(r.chart)) : null,
        h("p", { class: "hint", id: "backtest-summary", text: (r.evaluations !== undefined ? r.evaluations + " evaluations, " : "") + transitions.length + " transitions, " + notes.length + " notifications would have been sent" }),
        transitions.length ? table(["Time", "From", "To", "Value", "Why"], transitions.map(function (t) {
          return h("tr", {}, h("td", { text: time(t.at) }), h("td", {}, badge(t.from)), h("td", {}, badge(t.to)), h("td", { text: t.value === null ? "no data" : String(Math.round(t.value * 1000) / 1000) }), h("td", { class: "expl", text: t.reason || "" }));
        }), { id: "backtest-transitions", class: "stackable" }) : null);
    });
  };
  const showHistory = function (a, button) {
    return guarded(button, async function () {
      const items = await api.get("/alerts/" + enc(a.id) + "/history");
      out.replaceChildren(h("h2", { text: "History of " + a.name }), items.length === 0 ? h("p", { class: "hint", text: "No transitions yet." }) :
        table(["Time", "From", "To", "Value"], items.map(function (t) {
          return h("tr", {}, h("td", { text: time(t.at) }), h("td", {}, t.from ? badge(t.from) : ""), h("td", {}, t.to ? badge(t.to) : ""), h("td", { text: t.value === null || t.value === undefined ? "" : String(t.value) }));
        })));
    });
  };
  const btWin = select([["24h", "Last 24 hours"], ["48h", "Last 48 hours"], ["7d", "Last 7 days"]], "48h", { id: "backtest-window", "aria-label": "Backtest window" });
  const rows = alerts.map(function (a) {
    const bt = h("button", { type: "button", class: "secondary", text: "Backtest", "aria-label": "Backtest " + a.name });
    bt.addEventListener("click", function () { backtest(a, bt, btWin.value); });
    const hist = h("button", { type: "button", class: "secondary", text: "History", "aria-label": "History of " + a.name });
    hist.addEventListener("click", function () { showHistory(a, hist); });
    const paused = a.state === "paused";
    const pause = h("button", { type: "button", class: "secondary", text: paused ? "Resume" : "Pause", "aria-label": (paused ? "Resume " : "Pause ") + a.name });
    pause.addEventListener("click", function () { guarded(pause, async function () { await api.post("/alerts/" + enc(a.id) + (paused ? "/resume" : "/pause")); refresh(); }); });
    return h("tr", { "data-alert": a.name }, h("td", { text: a.name }), h("td", {}, badge(a.state)), h("td", { text: ruleText(a.rule) }), h("td", {}, h("div", { class: "actions" }, bt, hist, pause)));
  });

  const binary = s.type === "binary";
  const name = h("input", { id: "alert-name", required: true, value: s.name + "-high", size: 16 });
  const metric = select(binary ? [["true_rate", "share of yes"], ["volume", "labels"], ["value_count", "count of a value"], ["value_share", "share of a value"]]
    : [["value_share", "share of a value"], ["value_count", "count of a value"], ["volume", "labels"]], binary ? "true_rate" : "value_share", { id: "alert-metric" });
  const value = select(labels, labels[0], { id: "alert-value" });
  const comparison = select([["above", "above"], ["below", "below"], ["change", "change % vs prior window"]], "above", { id: "alert-comparison" });
  const threshold = h("input", { id: "alert-threshold", type: "number", step: "any", value: 0.3, size: 6, required: true });
  const windowSel = select(["15m", "1h", "6h", "24h", "48h"], "6h", { id: "alert-window" });
  const forSel = select(["0s", "5m", "15m", "1h"], "0s", { id: "alert-for" });
  const minLabels = h("input", { id: "alert-min", type: "number", min: 0, value: 3, size: 4 });
  const valueField = field("Value", value);
  const syncValue = function () { valueField.hidden = !(metric.value === "value_count" || metric.value === "value_share"); };
  metric.addEventListener("change", syncValue);
  syncValue();
  const create = h("button", { type: "submit", id: "create-alert", text: "Create alert" });
  const form = h("form", { class: "row", id: "alert-form" }, field("Name", name), field("Metric", metric), valueField, field("Comparison", comparison), field("Threshold", threshold),
    field("Window", windowSel), field("For", forSel), field("Min labels", minLabels), create);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    guarded(create, async function () {
      const body = { signal: s.id, name: name.value.trim(), metric: metric.value, comparison: comparison.value, threshold: Number(threshold.value), window: windowSel.value, for: forSel.value, min_labels: Number(minLabels.value) };
      if (!valueField.hidden) body.value = value.value;
      const a = await api.post("/alerts", body);
      notice("Alert " + a.name + " created (" + a.state + "): backtest it below");
      refresh();
    });
  });
  return card("Alerts",
    alerts.length === 0 ? h("p", { class: "hint", text: "No alerts on this signal." }) : [table(["Alert", "State", "Rule", "Actions"], rows, { id: "alerts-table", class: "stackable" }), h("div", { class: "row" }, field("Backtest window", btWin))],
    out,
    h("h2", { text: "New alert" }), form);
}

// ---- A target ------------------------------------------------------------------------------------------------
async function targetView(kind, id) {
  const [t, signals] = await Promise.all([api.get("/targets/" + kind + "/" + enc(id)), api.get("/signals?includeArchived=true")]);
  const byId = {};
  await Promise.all(signals.map(async function (s) { byId[s.id] = s; }));
  const flags = {};
  const rows = [];
  GROUPS.forEach(function (g) {
    ((t.report[g[0]] || {})[g[1]] || { signals: [] }).signals.forEach(function (sig) {
      (flags[sig.message_index] = flags[sig.message_index] || []).push(sig.signal_type);
      rows.push(sig);
    });
  });
  const jump = function (e) {
    e.preventDefault();
    const target = document.getElementById(e.currentTarget.getAttribute("href").slice(1));
    if (target) { target.scrollIntoView({ block: "center" }); target.focus(); }
  };
  const messages = t.messages.map(function (m, i) {
    const flagged = flags[i] !== undefined;
    return h("div", { class: "msg" + (flagged ? " flagged" : ""), id: "msg-" + i, "data-index": i, tabindex: -1 },
      h("div", { class: "who", text: "#" + i + " " + m.from }), h("div", { class: "text", text: m.value }),
      (flags[i] || []).map(function (x) { return h("span", { class: "tag", text: x }); }));
  });
  const current = t.labels.filter(function (l) { return !l.superseded; });
  const older = t.labels.length - current.length;
  const labelItems = current.map(function (l) {
    const s = byId[l.signalId];
    const name = s ? s.name : l.signalId;
    return h("div", { class: "label-item", "data-signal": name },
      h("div", { class: "row" }, s ? h("a", { href: signalHref(s.id), text: name }) : name, chip(l.value === null ? l.status : l.value, l.value === "yes" || l.value === "no" ? ["yes", "no"] : []),
        h("span", { class: "muted", text: "v" + l.version + " · " + l.judge + " · " + time(l.labelledAt) })),
      h("p", { text: l.explanation }));
  });
  render([
    h("p", { class: "muted" }, h("a", { href: "#/signals", text: "Signals" }), " / " + kind + " " + id),
    h("h1", {}, kind + " " + id, h("span", { class: "muted", text: "agent " + t.agent })),
    h("div", { class: "grid2" },
      h("div", {},
        card("Custom labels", labelItems.length ? h("div", { class: "labels-list", id: "target-labels" }, labelItems) : h("p", { class: "hint", text: "No custom signal has labelled this " + kind + "." }),
          older ? h("p", { class: "hint", text: older + " older labels (earlier revisions or versions) not shown" }) : null),
        card("Built-in signals",
          h("p", {}, h("span", { class: "badge q-" + t.report.overall_quality, text: t.report.overall_quality }), " ", h("span", { class: "muted", text: t.report.summary })),
          rows.length ? table(["Signal", "Message", "Snippet"], rows.map(function (sig) {
            return h("tr", {}, h("td", { text: sig.signal_type }), h("td", {}, h("a", { href: "#msg-" + sig.message_index, text: "#" + sig.message_index, onclick: jump })), h("td", { class: "expl", text: sig.snippet }));
          }), { id: "builtin-signals" }) : h("p", { class: "hint", text: "No built-in signals." }))),
      card("Conversation (" + t.messages.length + " messages)", h("div", { class: "msgs", id: "messages" }, messages))),
  ]);
}

// ---- Agents --------------------------------------------------------------------------------------------------
async function agentsView() {
  const [agents, signals] = await Promise.all([api.get("/agents"), api.get("/signals")]);
  const rows = agents.map(function (a) {
    const on = signals.filter(function (s) { return s.agent === a.agent || s.agent === "*"; });
    return h("tr", { "data-agent": a.agent }, h("td", { text: a.agent }), h("td", { class: "num", text: a.sessions }), h("td", { class: "num", text: a.traces }), h("td", { class: "num", text: a.spans }),
      h("td", { class: "hide-sm", text: time(a.firstSeen) }), h("td", { text: time(a.lastSeen) }),
      h("td", {}, on.length ? h("div", { class: "actions" }, on.map(function (s) { return h("a", { href: signalHref(s.id), text: s.name + " (" + s.state + ")" }); })) : h("span", { class: "hint", text: "none" })));
  });
  const win = select(WINDOWS.map(function (w) { return [w[0], w[2]]; }), "24h", { id: "traffic-window" });
  const chartBox = h("div", { class: "chart", id: "traffic-chart" });
  const draw = async function () {
    const w = WINDOWS.find(function (x) { return x[0] === win.value; }) || WINDOWS[1];
    const width = Math.max(320, Math.min(1200, Math.floor(chartBox.clientWidth || 720)));
    try { chartBox.replaceChildren(svgNode(await api.svg("/traffic.svg" + qs({ since: w[0], bucket: w[1], width: String(width) })))); }
    catch (err) { chartBox.replaceChildren(h("p", { class: "error", text: err.message })); }
  };
  win.addEventListener("change", draw);
  render([
    h("h1", { text: "Agents" }),
    card("Traffic over time", h("div", { class: "row" }, field("Window", win)), chartBox),
    card("Traffic per agent", agents.length === 0 ? h("p", { class: "hint", text: "No traffic yet: send OTLP spans to POST /v1/traces or run signals ingest." })
      : table(["Agent", "Sessions", "Traces", "Spans", "First seen", "Last seen", "Signals"], rows, { id: "agents-table" })),
  ]);
  view.querySelectorAll("#agents-table th").forEach(function (th, i) { if (i === 4) th.classList.add("hide-sm"); });
  await draw();
}

// ---- Routing -------------------------------------------------------------------------------------------------
async function route() {
  const hash = location.hash || "#/signals";
  if (!hash.startsWith("#/")) return;
  const q = hash.indexOf("?");
  const path = (q < 0 ? hash : hash.slice(0, q)).slice(2).split("/").map(decodeURIComponent);
  const params = new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
  const section = path[0] === "agents" ? "agents" : "signals";
  document.querySelectorAll("nav a[data-nav]").forEach(function (a) { a.getAttribute("data-nav") === section ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current"); });
  generation++;
  try {
    if (path[0] === "signal" && path[1]) await signalView(path[1], params);
    else if (path[0] === "target" && path[2]) await targetView(path[1], path.slice(2).join("/"));
    else if (path[0] === "agents") await agentsView();
    else await signalsView(params);
    document.title = (view.querySelector("h1") ? view.querySelector("h1").firstChild.textContent + " · " : "") + "agent-signals";
  } catch (err) {
    const noStore = /^No route for GET \/v1\//.test(err.message);
    render([h("h1", { text: noStore ? "No signals store" : "Something went wrong" }),
      h("p", { class: "error", id: "view-error", text: noStore ? "This server runs without a signals store (SIGNALS_DB=none), so there is nothing to show; the playground works without one." : err.message }),
      noStore ? h("p", {}, h("a", { href: "/playground", text: "Open the playground" })) : null]);
  }
}

const tokenInput = document.getElementById("token");
tokenInput.value = token();
document.getElementById("token-form").addEventListener("submit", function (e) {
  e.preventDefault();
  tokenInput.value ? localStorage.setItem(TOKEN_KEY, tokenInput.value) : localStorage.removeItem(TOKEN_KEY);
  notice(tokenInput.value ? "Token saved in this browser" : "Token cleared");
  route();
});
let lastPath = "";
window.addEventListener("hashchange", function () {
  if (!location.hash.startsWith("#/")) return;
  // A notice set by the action that navigated stays; an old one goes.
  if (Date.now() - noticeAt > 1500) notice("");
  const path = location.hash.split("?")[0];
  const moved = path !== lastPath;
  lastPath = path;
  // Focus follows a move to another view (for keyboards and screen readers), not a refresh of this one.
  route().then(function () { if (moved) { window.scrollTo(0, 0); view.focus({ preventScroll: true }); } });
});
lastPath = (location.hash || "#/signals").split("?")[0];
route();
`;

/** The dashboard script: the label colours (shared with the server's charts) and the views. */
export const DASHBOARD_JS = `const FIXED_COLOURS = ${JSON.stringify(FIXED_COLOURS)};\nconst PALETTE = ${JSON.stringify(PALETTE)};\n${BODY}`;
