/** One signal (`#/signal/ID`): definition, labels over time, labels, versions, runs and alerts. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks. */
export const SIGNAL_VIEW = String.raw`
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
      text.textContent = run.status + ": " + run.done + " / " + run.total + " targets" + (Object.keys(run.counts).length ? " · " + Object.entries(run.counts).map(function (e) { return e[0] + " " + e[1]; }).join(", ") : "") + (run.unreadable ? " · " + run.unreadable + " unreadable, not labelled" : "") + (run.error ? " · " + run.error : "");
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

  // An LLM-judged signal whose provider the service paused (failing or hanging) says so: its LLM work waits.
  let providerLine = null;
  if (def.judge !== "rules" && def.judge !== "learned") {
    const name = (def.llm && def.llm.provider) || "default";
    const provider = (await api.get("/providers").catch(function () { return []; })).find(function (p) { return p.name === name; });
    if (provider && provider.paused) {
      providerLine = h("p", { class: "error", id: "provider-paused", role: "status", text: "LLM provider " + name + " is paused until " + time(provider.paused.until) + " UTC: " + provider.paused.reason + ". Its LLM jobs wait; rules and other providers go on." });
    }
  }

  render([
    h("p", { class: "muted" }, h("a", { href: "#/signals", text: "Signals" }), " / " + s.name),
    h("h1", {}, s.name, badge(s.state), h("span", { class: "muted", text: "version " + s.version }), stateButtons(s, refresh)),
    providerLine,
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
ROUTES.signal = function (rest, params) { return rest[0] ? signalView(rest[0], params) : signalsView(params); };
`;
