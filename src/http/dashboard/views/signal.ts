/** One signal (`#/signal/ID`): definition (Edit opens the form), labels over time, labels, test, backfill, alerts, runs and versions with what changed in each. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks. */
export const SIGNAL_VIEW = String.raw`
async function signalView(id, params) {
  const g = generation;
  const [s, versions, runsPage, alerts] = await Promise.all([api.get("/signals/" + enc(id)), api.get("/signals/" + enc(id) + "/versions"), api.get("/signals/" + enc(id) + "/runs" + qs({ limit: String(RUNS_PAGE) })), can("alerts") ? api.get("/alerts" + qs({ signal: id })).catch(function (e) { if (e.status === 403) return null; throw e; }) : null]);
  const labels = labelsOf(s.definition);
  const values = labels.concat(["undecided", "error"]);
  const refresh = function () { go(signalHref(s.id) + "?" + params.toString()); };
  const def = s.definition;

  // Labels over time.
  const win = params.get("window") || "24h";
  const chartWin = select(WINDOWS.map(function (w) { return [w[0], w[2]]; }), win, { id: "chart-window" });
  const chartBox = h("div", { class: "chart", id: "chart" }, h("p", { class: "hint", text: "Drawing…" }));
  // Only the latest ask draws (a slower answer for the window chosen before never replaces it).
  let chartAsk = 0;
  const drawChart = async function () {
    const w = WINDOWS.find(function (x) { return x[0] === chartWin.value; }) || WINDOWS[1];
    const mine = ++chartAsk;
    try {
      const width = Math.max(320, Math.min(1200, Math.floor(chartBox.clientWidth || 720)));
      const svg = await api.svg("/signals/" + enc(s.id) + "/chart.svg" + qs({ since: w[0], bucket: w[1], width: String(width) }));
      if (mine === chartAsk) chartBox.replaceChildren(svgNode(svg));
    } catch (err) { if (mine === chartAsk) chartBox.replaceChildren(h("p", { class: "error", text: err.message })); }
  };
  chartWin.addEventListener("change", drawChart);

  // Labelled targets, filtered by value and window, newest first.
  const valueSel = select([["", "All values"]].concat(values), params.get("value") || "", { id: "filter-value" });
  const sinceSel = select([["", "All time"], ["1h", "Last hour"], ["24h", "Last 24 hours"], ["7d", "Last 7 days"]], params.get("since") || "", { id: "filter-window" });
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "secondary", text: "Load more", hidden: true });
  let cursor = null;
  // The latest ask (a filter change, Load more) is the one shown: an earlier filter's slower page is dropped.
  let labelsAsk = 0;
  const loadLabels = async function (reset) {
    const mine = ++labelsAsk;
    const page = await api.get("/signals/" + enc(s.id) + "/labels" + qs({ value: valueSel.value, since: sinceSel.value, cursor: reset ? "" : cursor || "", limit: "25" }));
    if (mine !== labelsAsk) return;
    if (reset) tbody.replaceChildren();
    page.items.forEach(function (l) {
      tbody.appendChild(h("tr", { "data-target": l.targetId },
        h("td", { text: time(l.at) }),
        h("td", {}, h("a", { href: targetHref(l.targetKind, l.targetId, l.agent), text: l.targetId, title: l.targetKind + " " + l.targetId })),
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
  // The same labels in the traffic explorer (with every other filter there); follows the value chosen here.
  const browse = h("a", { id: "browse-traffic", class: "field" });
  const browseHref = function () {
    browse.href = "#/" + (s.scope === "session" ? "sessions" : "traces") + qs({ signal: s.name, value: valueSel.value, since: sinceSel.value });
    browse.textContent = "Open in " + (s.scope === "session" ? "Sessions" : "Traces");
  };
  browseHref();
  valueSel.addEventListener("change", browseHref);
  sinceSel.addEventListener("change", browseHref);
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
        h("p", { class: "hint", text: r.rows.length + " targets classified, nothing stored" + (r.unreadable ? "; " + r.unreadable + " with no readable message, not judged" : "") }), distBar(r.distribution, labels),
        r.rows.length ? table(["Target", "Label", "Explanation"], r.rows.map(function (row) {
          return h("tr", {}, h("td", {}, h("a", { href: targetHref(row.kind, row.id, row.agent), text: row.id, title: row.kind + " " + row.id })), h("td", {}, chip(row.label || row.status, labels)), h("td", { class: "expl", text: row.explanation }));
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
      text.textContent = run.status + ": " + run.done + " / " + run.total + " targets" + (Object.keys(run.counts).length ? " · " + Object.entries(run.counts).map(function (e) { return e[0] + " " + e[1]; }).join(", ") : "") + (run.unreadable ? " · " + run.unreadable + " unreadable, not labelled" : "") + (run.error ? " · " + run.error : "") + (run.resumesAt ? " · resumes by itself at " + time(run.resumesAt) + " UTC" : "");
      bfOut.dataset.status = run.status;
      // A paused run (a spending cap reached) is followed no further: a day cap's goes on by itself the next UTC day,
      // a run cap's waits for a new run.
      if (once || ["done", "failed", "cancelled", "paused"].includes(run.status) || g !== generation) break;
      await new Promise(function (r) { setTimeout(r, 400); });
      run = await api.get("/runs/" + enc(run.id));
    }
    if (!once && run.status === "done" && g === generation) notice("Backfill done: " + run.done + " targets labelled");
    if (!once && run.status === "paused" && g === generation) notice("Backfill paused at " + run.done + " / " + run.total + " targets: " + run.error + ". The labels it made are kept; " + (run.resumesAt ? "it resumes by itself at " + time(run.resumesAt) + " UTC." : "a new backfill skips the targets already labelled."), true);
  };
  bfBtn.addEventListener("click", function () {
    guarded(bfBtn, async function () {
      const run = await api.post("/signals/" + enc(s.id) + "/runs", { since: bfWin.value, until: new Date(Date.now() + 60000).toISOString(), rate: Number(rate.value) });
      await follow(run);
      if (g === generation) refresh();
    });
  });
  const runs = runsPage.items;
  const running = runs.find(function (r) { return r.status === "queued" || r.status === "running"; });
  // A run in progress is followed; otherwise the latest run's outcome stays in view.
  if (running) follow(running).catch(fail);
  else if (runs.length) follow(runs[0], true).catch(fail);

  // An LLM-judged signal whose provider the service paused (failing or hanging) says so: its LLM work waits.
  let providerLine = null;
  if (def.judge !== "rules" && def.judge !== "learned" && can("providers")) {
    const name = (def.llm && def.llm.provider) || "default";
    const provider = (await api.get("/providers").catch(function () { return []; })).find(function (p) { return p.name === name; });
    if (provider && provider.paused) {
      providerLine = h("p", { class: "error", id: "provider-paused", role: "status", text: "LLM provider " + name + " is paused until " + time(provider.paused.until) + " UTC: " + provider.paused.reason + ". Its LLM jobs wait; rules and other providers go on." });
    }
  }

  // A signal its own day cap holds (llm.max_requests_per_day / max_usd_per_day, as the store's ledger counts every
  // replica's spend) says so: its LLM work waits for the next UTC day.
  const heldLine = s.heldByDayCap ? h("p", { class: "error", id: "signal-held", role: "status", text: "Held by its day cap until " + time(s.heldByDayCap.until) + " UTC: " + s.heldByDayCap.reason + ". Its LLM jobs wait until then; rules and other signals go on." }) : null;

  render([
    h("p", { class: "muted" }, h("a", { href: "#/signals", text: "Signals" }), " / " + s.name),
    h("h1", {}, s.name, badge(s.state), h("span", { class: "muted", text: "version " + s.version }), stateButtons(s, refresh), can("change_signals") ? h("a", { class: "button secondary", id: "edit-signal", href: "#/edit/" + enc(s.id), text: "Edit" }) : null),
    heldLine,
    providerLine,
    h("div", { class: "grid2" },
      card("Definition",
        h("dl", { class: "kv" },
          h("dt", { text: "Agent" }), h("dd", { text: visibleName(s.agent) }),
          h("dt", { text: "Scope / type" }), h("dd", { text: s.scope + " · " + s.type }),
          h("dt", { text: "Labels" }), h("dd", {}, labels.map(function (l) { return [chip(l, labels), " "]; })),
          h("dt", { text: "Judge" }), h("dd", { text: def.judge + " · sample rate " + def.sample_rate }),
          h("dt", { text: "Labelled" }), h("dd", { text: s.labelled + " targets" }),
          h("dt", { text: "Prompt" }), h("dd", { text: def.prompt }))),
      card("Last 24 hours", distBar(s.last24h, labels), h("p", { class: "hint", text: "Updated " + time(s.updatedAt) + " UTC" }))),
    h("div", { class: "stack" }),
    judgingCard(s),
    card("Labels over time", h("div", { class: "row" }, field("Window", chartWin)), chartBox),
    card("Labelled targets", h("div", { class: "row" }, field("Value", valueSel), field("Window", sinceSel), browse), labelTable, more),
    h("div", { class: "grid2" },
      can("test_signals") ? card("Test", h("p", { class: "hint", text: "Classify a sample of stored traffic now; nothing is stored." }), h("div", { class: "row" }, field("Targets", sample), testBtn), testOut)
        : card("Test", operatorsOnly("Tests spend the LLM budget, so they are", "test-operator-only")),
      card("Backfill", can("backfill") ? (s.state === "draft" ? h("p", { class: "error", id: "draft-backfill", text: "This signal is a draft: live traffic gets no labels from it, but a backfill does label stored traffic with the draft's definition (and those labels stay). To look without labelling, use Test; to label, activate it first." })
        : h("p", { class: "hint", text: "Label stored traffic with the current version (targets it already labelled are skipped)." })) : operatorsOnly("Backfills spend the LLM budget, so starting one is", "backfill-operator-only"),
        can("backfill") ? h("div", { class: "row" }, field("Window", bfWin), field("Rate", rate), bfBtn) : null, bfOut)),
    h("div", { class: "stack" }),
    await alertsCard(s, alerts, labels, refresh),
    runsCard(s, runsPage, labels),
    card("Versions", h("p", { class: "hint", text: "Each saved edit is a version; labels keep the version that made them. Restore copies an old version into a new one." }),
      table(["Version", "Created", "What changed", ""], versions.slice().sort(function (a, b) { return b.version - a.version; }).map(function (v, i, list) {
        const prev = list[i + 1];
        const restore = v.version === s.version || !can("change_signals") ? null : h("button", { type: "button", class: "secondary", text: "Restore", "aria-label": "Restore version " + v.version });
        if (restore) restore.addEventListener("click", function () {
          guarded(restore, async function () {
            const patch = Object.assign({}, v.definition);
            Object.keys(def).forEach(function (k) { if (!(k in patch)) patch[k] = null; });
            delete patch.name; delete patch.scope;
            const r = await api.patch("/signals/" + enc(s.id), patch);
            notice("Version " + r.signal.version + " restores version " + v.version + (r.changes.length ? ": " + r.changes.join("; ") : ""));
            refresh();
          });
        });
        return h("tr", { "data-version": v.version }, h("td", { class: "num", text: "v" + v.version }), h("td", { text: time(v.createdAt) }),
          h("td", {}, prev ? versionChanges(prev.definition, v.definition) : h("span", { class: "hint", text: "created" })), h("td", {}, restore));
      }), { id: "versions-table", class: "stackable" })),
  ], g);
  drawChart();
  await loadLabels(true);
}

// Runs a page of the Runs card holds; Load more adds the next page, until the list ends.
const RUNS_PAGE = 25;
function runsCard(s, first, labels) {
  if (first.items.length === 0) return card("Runs", h("p", { class: "hint", text: "No runs yet." }));
  const row = function (r) {
    return h("tr", { "data-run": r.id }, h("td", { text: time(r.createdAt) }), h("td", { text: r.kind + " v" + r.version }), h("td", { text: time(r.since) + " → " + time(r.until) }), h("td", {}, badge(r.status)),
      h("td", { class: "num", text: r.done + " / " + r.total }), h("td", {}, distBar(r.counts, labels)));
  };
  const list = table(["Started", "Kind", "Window", "Status", "Done", "Labels"], first.items.map(row), { id: "runs-table", class: "stackable" });
  const tbody = list.querySelector("tbody");
  const more = h("button", { type: "button", class: "secondary", id: "runs-more", text: "Load more", hidden: first.nextCursor === null });
  let cursor = first.nextCursor;
  more.addEventListener("click", function () {
    guarded(more, async function () {
      const page = await api.get("/signals/" + enc(s.id) + "/runs" + qs({ limit: String(RUNS_PAGE), cursor: cursor }));
      page.items.forEach(function (r) { tbody.appendChild(row(r)); });
      cursor = page.nextCursor;
      more.hidden = cursor === null;
    });
  });
  return card("Runs", list, more);
}

function ruleText(rule) {
  if (!rule || typeof rule !== "object") return "";
  const what = rule.metric + (rule.value ? "(" + rule.value + ")" : "");
  const unit = rule.comparison === "change" ? "%" : "";
  return what + " " + rule.comparison + " " + rule.threshold + unit + " over " + rule.window + (rule.for && rule.for !== "0s" ? ", for " + rule.for : "");
}

async function alertsCard(s, alerts, labels, refresh) {
  // A key scoped to one agent does not see alerts (the operator's): the card says so instead of listing none.
  if (alerts === null) return card("Alerts", operatorsOnly("Alerts are", "alerts-operator"));
  const rows = alerts.map(function (a) {
    const paused = a.state === "paused";
    const pause = h("button", { type: "button", class: "secondary", text: paused ? "Resume" : "Pause", "aria-label": (paused ? "Resume " : "Pause ") + a.name });
    pause.addEventListener("click", function () { guarded(pause, async function () { await api.post("/alerts/" + enc(a.id) + (paused ? "/resume" : "/pause")); refresh(); }); });
    return h("tr", { "data-alert": a.name }, h("td", {}, h("a", { href: "#/alert/" + enc(a.id), text: a.name })), h("td", {}, badge(a.state)), h("td", { text: ruleText(a.rule) }),
      h("td", { class: "hide-sm", text: (a.rule.channels || []).map(channelText).join(", ") || "none" }), h("td", {}, h("div", { class: "actions" }, h("a", { class: "button secondary", href: "#/alert/" + enc(a.id), text: "Edit", "aria-label": "Edit " + a.name }), pause)));
  });
  return card("Alerts",
    alerts.length === 0 ? h("p", { class: "hint", text: "No alerts on this signal." }) : table(["Alert", "State", "Rule", "Channels", "Actions"], rows, { id: "alerts-table", class: "stackable" }),
    h("p", {}, h("a", { class: "button", id: "new-alert", href: "#/alert/new?signal=" + enc(s.id), text: "New alert" }), " ", h("span", { class: "hint", text: "with a backtest over stored labels before you save it" })));
}

/** A channel in a few words: "webhook (ops-hook)", "email to a@x". */
function channelText(c) {
  const to = c.type === "email" ? " to " + (c.to || []).join(", ") : "";
  return c.type + (c.name ? " (" + c.name + ")" : "") + to;
}

// What changed between two versions of a definition, as list items: the prompt as a word diff, labels added,
// removed and renamed, and one line for each other field.
function versionChanges(a, b) {
  const items = [];
  const same = function (x, y) { return JSON.stringify(x) === JSON.stringify(y); };
  if (a.prompt !== b.prompt) items.push(h("li", {}, "Prompt: ", wordDiff(a.prompt || "", b.prompt || "")));
  const la = a.type === "labels" ? (a.labels || []) : [];
  const lb = b.type === "labels" ? (b.labels || []) : [];
  if (a.type !== b.type) items.push(h("li", { text: "Output: " + (a.type === "binary" ? "yes/no" : "labels") + " → " + (b.type === "binary" ? "yes/no" : "labels") }));
  const namesA = la.map(function (l) { return l.name; });
  const namesB = lb.map(function (l) { return l.name; });
  const removed = namesA.filter(function (n) { return !namesB.includes(n); });
  const added = namesB.filter(function (n) { return !namesA.includes(n); });
  // A label gone and another new at the same position is a rename.
  const renamed = [];
  removed.slice().forEach(function (n) {
    const j = namesA.indexOf(n);
    if (j < namesB.length && added.includes(namesB[j])) {
      renamed.push(n + " → " + namesB[j]);
      removed.splice(removed.indexOf(n), 1);
      added.splice(added.indexOf(namesB[j]), 1);
    }
  });
  if (added.length) items.push(h("li", { class: "labels-added", text: "Labels added: " + added.join(", ") }));
  if (removed.length) items.push(h("li", { class: "labels-removed", text: "Labels removed: " + removed.join(", ") }));
  if (renamed.length) items.push(h("li", { class: "labels-renamed", text: "Labels renamed: " + renamed.join(", ") }));
  const described = lb.filter(function (l) { const o = la.find(function (x) { return x.name === l.name; }); return o && (o.description || "") !== (l.description || ""); });
  if (described.length) items.push(h("li", { text: "Descriptions changed: " + described.map(function (l) { return l.name; }).join(", ") }));
  if (a.judge !== b.judge) items.push(h("li", { text: "Judge: " + a.judge + " → " + b.judge }));
  const la2 = a.llm || {}, lb2 = b.llm || {};
  if ((la2.provider || "default") !== (lb2.provider || "default")) items.push(h("li", { text: "Provider: " + (la2.provider || "default") + " → " + (lb2.provider || "default") }));
  if ((la2.model || "") !== (lb2.model || "")) items.push(h("li", { text: "Model: " + (la2.model || "the provider's") + " → " + (lb2.model || "the provider's") }));
  const otherLlm = Object.assign({}, la2, { provider: 0, model: 0 }), otherLlmB = Object.assign({}, lb2, { provider: 0, model: 0 });
  if (!same(otherLlm, otherLlmB)) items.push(h("li", { text: "LLM limits changed" }));
  if (a.sample_rate !== b.sample_rate) items.push(h("li", { text: "Sample rate: " + ratePct(a.sample_rate) + " → " + ratePct(b.sample_rate) }));
  if (!same(a.filter, b.filter)) items.push(h("li", { text: "Filter: " + filterText(a.filter) + " → " + filterText(b.filter) }));
  if (!same(a.rules, b.rules)) items.push(h("li", { text: b.rules ? (a.rules ? "Rules changed" : "Rules added") : "Rules removed" }));
  if (!same(a.learned, b.learned)) items.push(h("li", { text: b.learned ? (a.learned ? "Learned model changed" : "Learned model added") : "Learned model removed" }));
  if (a.agent !== b.agent) items.push(h("li", { text: "Agent: " + visibleName(a.agent) + " → " + visibleName(b.agent) }));
  if ((a.description || "") !== (b.description || "")) items.push(h("li", { text: "Description: " + (b.description || "(none)") }));
  return items.length ? h("ul", { class: "changes" }, items) : h("span", { class: "hint", text: "no change (a restore of the same definition)" });
}
function ratePct(rate) { return rate === undefined ? "100%" : Math.round(rate * 10000) / 100 + "%"; }
function filterText(f) {
  if (!f) return "none";
  return Object.keys(f).map(function (k) { return k + " " + (Array.isArray(f[k]) ? f[k].join(", ") : f[k]); }).join("; ");
}
// Words removed (struck through) and added (highlighted), from the longest common subsequence of the two lists of
// words, spaces and punctuation; prompts too long for that (over 400 x 400 words) show both sides whole.
function wordDiff(a, b) {
  const x = a.split(/(\s+|[.,;:!?()"]+)/).filter(Boolean), y = b.split(/(\s+|[.,;:!?()"]+)/).filter(Boolean);
  const box = h("div", { class: "prompt-diff" });
  if (x.length * y.length > 640000) {
    box.append(h("del", { class: "diff", text: a }), document.createElement("br"), h("ins", { class: "diff", text: b }));
    return box;
  }
  const n = x.length, m = y.length;
  const L = [];
  for (let i = 0; i <= n; i++) L.push(new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  let i = 0, j = 0;
  const out = [];
  const push = function (kind, text) {
    const last = out[out.length - 1];
    if (last && last[0] === kind) last[1] += text; else out.push([kind, text]);
  };
  while (i < n && j < m) {
    if (x[i] === y[j]) { push("=", x[i]); i++; j++; }
    else if (L[i + 1][j] >= L[i][j + 1]) { push("-", x[i]); i++; }
    else { push("+", y[j]); j++; }
  }
  while (i < n) push("-", x[i++]);
  while (j < m) push("+", y[j++]);
  out.forEach(function (p) { box.append(p[0] === "=" ? document.createTextNode(p[1]) : h(p[0] === "-" ? "del" : "ins", { class: "diff", text: p[1] })); });
  return box;
}
ROUTES.signal = function (rest, params) { return rest[0] ? signalView(rest[0], params) : signalsView(params); };
`;
