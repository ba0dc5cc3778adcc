/**
 * The traffic explorer's lists (`#/sessions`, and `#/traces` through ./traces.ts): sessions or traces newest first,
 * paged, every filter of `GET /v1/sessions` in the hash so a view can be shared, refreshed live. A piece of the
 * dashboard script (see ../client.ts): plain DOM code, no backticks.
 */
export const SESSIONS_VIEW = String.raw`
const TRAFFIC_FILTERS = ["agent", "since", "until", "quality", "builtin", "signal", "value", "unlabelled", "q"];
const QUALITY_BUCKETS = ["excellent", "good", "neutral", "poor", "severe"];
const BUILTIN_FAMILIES = ["interaction.misalignment", "interaction.stagnation", "interaction.disengagement", "interaction.satisfaction",
  "execution.failure", "execution.loops", "environment.exhaustion"];

function trafficRow(kind, item) {
  const href = targetHref(kind, item.id, item.agent);
  const families = item.builtin.map(function (f) {
    const types = Object.keys(item.signalTypes).filter(function (t) { return t.indexOf(f + ".") === 0; });
    return builtinTag(f, types.map(function (t) { return t + " ×" + item.signalTypes[t]; }).join(", "));
  });
  const row = h("tr", { "data-key": item.agent + "/" + item.id, "data-id": item.id, "data-agent": item.agent },
    h("td", { class: "id" }, h("a", { href: href, text: item.id })),
    kind === "trace" ? h("td", { class: "id hide-sm" }, item.sessionId ? h("a", { href: targetHref("session", item.sessionId, item.agent), text: item.sessionId }) : h("span", { class: "hint", text: "none" })) : null,
    h("td", { text: visibleName(item.agent) }),
    h("td", { class: "when", text: time(item.start) }),
    h("td", { class: "when hide-sm", text: duration(new Date(item.end).getTime() - new Date(item.start).getTime()) }),
    h("td", { class: "num", text: num(item.turns, 0), title: "user turns", "data-label": "turns" }),
    kind === "session" ? h("td", { class: "num", text: num(item.traces, 0), "data-label": "traces" }) : null,
    h("td", { class: "num", text: num(item.llmCalls, 0), "data-label": "LLM calls" }),
    h("td", { class: "num", text: num(item.toolCalls, 0), "data-label": "tool calls" }),
    h("td", {}, item.quality ? h("span", { class: "badge q-" + item.quality, text: item.quality, title: "score " + num(item.score, 1) }) : h("span", { class: "badge pending", text: "settling" })),
    h("td", { class: "wide" }, h("div", { class: "tags" }, families.length ? families : h("span", { class: "hint", text: "none" }))),
    h("td", { class: "wide" }, h("div", { class: "tags" }, item.labels.length ? item.labels.map(labelChip) : h("span", { class: "hint", text: "none" }))));
  row._sig = JSON.stringify(item);
  return row;
}

async function trafficView(kind, params) {
  const g = generation;
  const plural = kind === "session" ? "sessions" : "traces";
  const [agents, signals] = await Promise.all([api.get("/agents"), loadSignalInfo()]);
  const f = {};
  TRAFFIC_FILTERS.forEach(function (k) { f[k] = params.get(k) || ""; });
  const live = signals.filter(function (s) { return s.state !== "archived" || s.id === f.signal || s.name === f.signal; });
  const named = function (ref) { return signals.find(function (s) { return s.id === ref || s.name === ref; }); };

  const withCurrent = function (options, value) { return value && !options.some(function (o) { return (Array.isArray(o) ? o[0] : o) === value; }) ? options.concat([[value, value]]) : options; };
  const agentSel = select(withCurrent([["", "All agents"]].concat(agents.map(function (a) { return [a.agent, visibleName(a.agent)]; })), f.agent), f.agent, { id: "f-agent" });
  const sinceSel = select(withCurrent([["", "All time"], ["1h", "Last hour"], ["24h", "Last 24 hours"], ["7d", "Last 7 days"], ["30d", "Last 30 days"]], f.since), f.since, { id: "f-since" });
  const untilIn = h("input", { id: "f-until", value: f.until, placeholder: "now", size: 10, "aria-describedby": "time-hint" });
  const qualitySel = select([["", "Any quality"]].concat(QUALITY_BUCKETS), f.quality, { id: "f-quality" });
  const builtinIn = h("input", { id: "f-builtin", value: f.builtin, placeholder: "e.g. execution.failure.*", size: 22, list: "builtin-families" });
  const families = h("datalist", { id: "builtin-families" }, BUILTIN_FAMILIES.map(function (x) { return h("option", { value: x + ".*" }); }));
  const signalOptions = live.map(function (s) { return [s.name, s.name + " (" + s.scope + ")"]; });
  const signalSel = select(withCurrent([["", "Any"]].concat(signalOptions), f.signal), f.signal, { id: "f-signal" });
  const valueSel = h("select", { id: "f-value" });
  const fillValues = function (keep) {
    const s = named(signalSel.value);
    const values = s ? s.labels : [];
    valueSel.replaceChildren(h("option", { value: "", text: "any value" }));
    append(valueSel, withCurrent(values, keep).map(function (v) { const x = Array.isArray(v) ? v[0] : v; return h("option", { value: x, text: x }); }));
    valueSel.value = keep && (values.includes(keep) || keep === f.value) ? keep : "";
    valueSel.disabled = !signalSel.value;
  };
  fillValues(f.value);
  const unlabelledSel = select(withCurrent([["", "—"]].concat(signalOptions), f.unlabelled), f.unlabelled, { id: "f-unlabelled" });
  const qIn = h("input", { id: "f-q", type: "search", value: f.q, placeholder: "words in the messages", size: 20 });

  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "secondary", text: "Load more", id: "more", hidden: true });
  const count = h("p", { class: "hint", id: "traffic-count" });
  let cursor = null;
  let shown = 0;
  const query = function (extra) {
    const o = {};
    TRAFFIC_FILTERS.forEach(function (k) { if (f[k]) o[k] = f[k]; });
    return qs(Object.assign(o, extra));
  };
  const empty = function () { return h("tr", { "data-key": "empty" }, h("td", { colspan: 13, class: "hint", text: "No " + plural + " match these filters." })); };
  const countText = function () { count.textContent = shown + " " + plural + " shown, newest first" + (cursor ? "; more below" : ""); };
  // Page 1 again (as many rows as are on screen, up to 200): new units appear at the top, changed ones in place.
  const refresh = async function () {
    const n = Math.min(200, Math.max(50, shown));
    const page = await api.get("/" + plural + query({ limit: String(n) }));
    const rows = page.items.map(function (i) { return trafficRow(kind, i); });
    const kept = shown > n ? Array.prototype.slice.call(tbody.children, n) : [];
    syncChildren(tbody, rows.length ? rows.concat(kept) : [empty()]);
    if (shown <= n) cursor = page.nextCursor;
    shown = rows.length + kept.length;
    more.hidden = cursor === null;
    countText();
  };
  const loadMore = async function () {
    const page = await api.get("/" + plural + query({ limit: "50", cursor: cursor }));
    page.items.forEach(function (i) { tbody.appendChild(trafficRow(kind, i)); });
    shown += page.items.length;
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    countText();
  };
  more.addEventListener("click", function () { guarded(more, loadMore); });

  const pending = pendingLine(f.agent);
  const apply = function () {
    f.agent = agentSel.value; f.since = sinceSel.value; f.until = untilIn.value.trim(); f.quality = qualitySel.value; f.builtin = builtinIn.value.trim();
    f.signal = signalSel.value; f.value = signalSel.value ? valueSel.value : ""; f.unlabelled = unlabelledSel.value; f.q = qIn.value.trim();
    // The filters live in the hash, so the view can be shared (and a notification can link to it).
    history.replaceState(null, "", "#/" + plural + query({}));
    shown = 0;
    cursor = null;
    tbody.replaceChildren();
    refresh().catch(fail);
  };
  signalSel.addEventListener("change", function () { fillValues(""); apply(); });
  [agentSel, sinceSel, qualitySel, valueSel, unlabelledSel].forEach(function (c) { c.addEventListener("change", apply); });
  [untilIn, builtinIn, qIn].forEach(function (c) { c.addEventListener("change", apply); });
  const form = h("form", { class: "row filters", id: "traffic-filters", role: "search", "aria-label": "Filter " + plural },
    field("Agent", agentSel), field("Window", sinceSel), field("Until", untilIn), field("Quality", qualitySel),
    field("Built-in signal", builtinIn), families, field("Custom signal", signalSel), field("Label", valueSel), field("No label for", unlabelledSel), field("Text", qIn));
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  const clear = h("a", { href: "#/" + plural, text: "Clear filters", id: "clear-filters" });

  const headers = ["Session", "Agent", "Start", "Length", "Turns", "Traces", "LLM calls", "Tool calls", "Quality", "Built-in signals", "Custom labels"];
  const cols = kind === "session" ? headers : ["Trace", "Session"].concat(headers.slice(1).filter(function (x) { return x !== "Traces"; }));
  const numeric = ["Turns", "Traces", "LLM calls", "Tool calls"];
  const tableNode = h("div", { class: "table-wrap" }, h("table", { id: "traffic-table", class: "stackable traffic" },
    h("thead", {}, h("tr", {}, cols.map(function (x) { return h("th", { scope: "col", text: x, class: (numeric.includes(x) ? "num" : "") + (x === "Length" || (kind === "trace" && x === "Session") ? " hide-sm" : "") }); }))), tbody));
  const title = kind === "session" ? "Sessions" : "Traces";
  render([
    h("div", { class: "titlebar" }, h("h1", { text: title + (f.agent ? " of " + visibleName(f.agent) : "") }), liveBar(async function () { await Promise.all([refresh(), pending.refresh()]); })),
    pending,
    card("Filters", form, h("p", { class: "hint", id: "time-hint" }, "Window and Until take a duration ago (24h) or an ISO time; the built-in signal a type or a glob (interaction.disengagement.*). ", clear)),
    card(title, count, tableNode, more),
  ], g);
  await Promise.all([refresh(), pending.refresh().catch(function (err) { pending.textContent = "Pending work: " + err.message; })]);
}
ROUTES.sessions = function (rest, params) { return trafficView("session", params); };
`;
