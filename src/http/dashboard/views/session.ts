/**
 * One session, trace or span (`#/session/ID?agent=A`, `#/trace/ID`, `#/span/ID`): a summary, its custom labels,
 * the timeline (a session's traces in order, each with its spans: LLM calls with model and duration, tool calls
 * with their status, every label on the unit it labels), the built-in report and the conversation. Links go
 * span ↔ trace ↔ session both ways; the view refreshes live. A piece of the dashboard script (see ../client.ts):
 * plain DOM code, no backticks.
 */
export const SESSION_VIEW = String.raw`
const MAX_TIMELINE_SPANS = 400;

function spanDepths(spans) {
  const byId = {};
  spans.forEach(function (s) { byId[s.spanId] = s; });
  const depth = {};
  const of = function (s, seen) {
    if (depth[s.spanId] !== undefined) return depth[s.spanId];
    const parent = byId[s.parentSpanId];
    depth[s.spanId] = parent && !seen[parent.spanId] ? (seen[s.spanId] = true, of(parent, seen) + 1) : 0;
    return depth[s.spanId];
  };
  spans.forEach(function (s) { of(s, {}); });
  return depth;
}
function spanRow(s, axis, depth, current) {
  const start = new Date(s.start).getTime();
  const bar = h("i");
  bar.style.left = (100 * (start - axis.from) / axis.span) + "%";
  bar.style.width = Math.max(0.4, 100 * s.durationMs / axis.span) + "%";
  const what = s.kind === "llm" ? [h("span", { class: "kind llm", text: "LLM" }), " " + (s.model || "model not reported")]
    : s.kind === "tool" && s.tool ? [h("span", { class: "kind tool", text: "tool" }), " " + s.tool.name + " ", h("span", { class: "badge " + (s.tool.status === "ok" ? "ok" : "failed"), text: s.tool.status, title: s.tool.signal || "" })]
    : [h("span", { class: "kind", text: "span" })];
  const row = h("div", { class: "span-row kind-" + s.kind + (current ? " current" : ""), "data-key": "span:" + s.spanId, "data-span": s.spanId, id: "span-" + s.spanId, "aria-current": current ? "true" : null },
    h("div", { class: "span-text" },
      h("span", { class: "indent" }), h("a", { href: targetHref("span", s.spanId, s.agent), text: s.name }), " ", what,
      h("span", { class: "muted", text: " · " + duration(s.durationMs) }),
      s.labels.length ? h("span", { class: "tags" }, s.labels.map(labelChip)) : null),
    h("div", { class: "span-bar", "aria-hidden": "true" }, bar));
  row.firstChild.firstChild.style.width = (Math.min(depth, 6) * 14) + "px";
  row._sig = JSON.stringify(s) + current;
  return row;
}
function traceHead(item, traceId, agent, spans, current) {
  const head = h("div", { class: "trace-head" + (current ? " current" : ""), "data-key": "trace:" + traceId, "data-trace": traceId, id: "trace-" + traceId },
    h("a", { href: targetHref("trace", traceId, agent), text: "trace " + traceId }),
    h("span", { class: "muted", text: " " + time(spans[0].start) + " · " + spans.length + " spans" }),
    item && item.quality ? h("span", { class: "badge q-" + item.quality, text: item.quality }) : null,
    item && item.labels.length ? h("span", { class: "tags" }, item.labels.map(labelChip)) : null);
  head._sig = JSON.stringify(item) + spans.length + current;
  return head;
}
// The timeline's rows: per trace (in order of its first span) a head (on a session's view) and its spans.
function timelineRows(kind, spans, traceItems, agent, currentSpan, currentTrace) {
  if (spans.length === 0) return [h("p", { class: "hint", "data-key": "none", text: "No spans." })];
  const shown = spans.slice(0, MAX_TIMELINE_SPANS);
  const from = Math.min.apply(null, shown.map(function (s) { return new Date(s.start).getTime(); }));
  const to = Math.max.apply(null, shown.map(function (s) { return new Date(s.end).getTime(); }));
  const axis = { from: from, span: Math.max(1, to - from) };
  const depth = spanDepths(shown);
  const order = [];
  const groups = {};
  shown.forEach(function (s) { if (!groups[s.traceId]) { groups[s.traceId] = []; order.push(s.traceId); } groups[s.traceId].push(s); });
  const items = {};
  traceItems.forEach(function (i) { items[i.id] = i; });
  const rows = [];
  order.forEach(function (traceId) {
    if (kind === "session") rows.push(traceHead(items[traceId], traceId, agent, groups[traceId], false));
    groups[traceId].forEach(function (s) { rows.push(spanRow(s, axis, depth[s.spanId], s.spanId === currentSpan)); });
  });
  if (spans.length > shown.length) rows.push(h("p", { class: "hint", "data-key": "cut", text: "The first " + shown.length + " of " + spans.length + " spans." }));
  return rows;
}

async function unitView(kind, id, params) {
  const g = generation;
  if (kind !== "session" && kind !== "trace" && kind !== "span") throw new Error("No view for " + kind);
  const load = async function () {
    const t = await api.get("/targets/" + kind + "/" + enc(id) + qs({ agent: params.get("agent") || "", before: params.get("before") || "" }));
    const agent = t.agent;
    const sessionId = kind === "session" ? id : t.meta.sessionId || null;
    const traceId = kind === "trace" ? id : kind === "span" ? t.meta.traceId || null : null;
    const one = function (list, unit) { return api.get("/" + list + qs({ agent: agent, id: unit, limit: "1" })).then(function (p) { return p.items[0] || null; }); };
    const [spans, traces, item] = await Promise.all([
      kind === "session" ? api.get("/sessions/" + enc(id) + "/spans" + qs({ agent: agent })) : traceId ? api.get("/traces/" + enc(traceId) + "/spans" + qs({ agent: agent })) : [],
      kind === "session" ? api.get("/traces" + qs({ agent: agent, session: id, limit: "200" })).then(function (p) { return p.items; }) : [],
      // The listing's item of this session or trace (a span's trace): counts and quality as the lists show them.
      kind === "session" ? one("sessions", id) : traceId ? one("traces", traceId) : null,
    ]);
    return { t: t, agent: agent, sessionId: sessionId, traceId: traceId, spans: spans, traces: traces, item: item };
  };
  await loadSignalInfo();
  let d = await load();
  const t = d.t;
  const summaryBox = h("div", { id: "unit-summary" });
  const labelsBox = h("div", { id: "unit-labels" });
  const timeline = h("div", { class: "timeline", id: "timeline" });
  const convoBox = h("div", { id: "unit-conversation" });
  let messageCount = -1;
  const draw = function () {
    const spans = d.spans;
    const mine = kind === "span" ? spans.filter(function (s) { return s.spanId === id; }) : spans;
    const item = d.item;
    const start = mine.length ? mine[0].start : null;
    const end = mine.length ? mine.reduce(function (m, s) { return s.end > m ? s.end : m; }, mine[0].end) : null;
    const quality = kind === "span" ? d.t.report.overall_quality : item && item.quality;
    const kv = [
      ["Agent", visibleName(d.agent)],
      kind !== "session" ? ["Session", d.sessionId ? h("a", { href: targetHref("session", d.sessionId, d.agent), text: d.sessionId, id: "to-session" }) : "none (this trace has no session id)"] : null,
      kind === "span" ? ["Trace", d.traceId ? h("a", { href: targetHref("trace", d.traceId, d.agent), text: d.traceId, id: "to-trace" }) : "unknown"] : null,
      ["Start", time(start) + (start ? " UTC" : "")],
      ["Length", start ? duration(new Date(end).getTime() - new Date(start).getTime()) : "–"],
      kind === "session" ? ["Traces", num(d.traces.length, 0)] : null,
      kind !== "span" ? ["Spans", num(spans.length, 0)] : ["Span", mine[0] ? mine[0].name + " (" + mine[0].kind + (mine[0].model ? ", " + mine[0].model : "") + ")" : id],
      kind !== "span" && item ? ["LLM calls", num(item.llmCalls, 0)] : null,
      // Tool calls as the lists count them: the calls the model made in the settled conversation.
      kind !== "span" && item ? ["Tool calls", num(item.toolCalls, 0)] : null,
      kind !== "span" && item ? ["Turns", num(item.turns, 0)] : null,
      ["Quality", quality ? h("span", { class: "badge q-" + quality, text: quality }) : h("span", { class: "badge pending", text: "settling", title: "spans arrived since the built-in summary; it comes when the " + kind + " settles" })],
    ].filter(Boolean);
    summaryBox.replaceChildren(card("Summary", h("dl", { class: "kv" }, kv.map(function (x) { return [h("dt", { text: x[0] }), h("dd", {}, x[1])]; }))));
    labelsBox.replaceChildren(labelsCard(d.t, kind));
    syncChildren(timeline, timelineRows(kind, spans, d.traces, d.agent, kind === "span" ? id : null, d.traceId));
    if (d.t.messageCount !== messageCount) {
      messageCount = d.t.messageCount;
      convoBox.replaceChildren(h("div", { class: "grid2" }, builtinCard(d.t), conversationCard(d.t, kind, id)));
    }
  };
  const crumbs = [h("a", { href: "#/sessions" + qs({ agent: t.agent }), text: "Sessions" })];
  if (d.sessionId) crumbs.push(" / ", kind === "session" ? "session " + d.sessionId : h("a", { href: targetHref("session", d.sessionId, d.agent), text: "session " + d.sessionId }));
  else if (kind !== "session") crumbs.push(" / ", h("a", { href: "#/traces" + qs({ agent: t.agent }), text: "traces" }));
  if (d.traceId) crumbs.push(" / ", kind === "trace" ? "trace " + d.traceId : h("a", { href: targetHref("trace", d.traceId, d.agent), text: "trace " + d.traceId }));
  if (kind === "span") crumbs.push(" / span " + id);
  const pending = pendingLine(t.agent);
  const timelineTitle = kind === "session" ? "Timeline: traces and their spans" : kind === "trace" ? "Timeline: spans" : "Its trace's spans (this span marked)";
  render([
    h("p", { class: "crumbs muted", id: "crumbs" }, crumbs),
    h("div", { class: "titlebar" }, h("h1", {}, kind + " " + id, h("span", { class: "muted", text: "agent " + visibleName(t.agent) })),
      liveBar(async function () { d = await load(); draw(); await pending.refresh(); })),
    pending,
    h("div", { class: "grid2" }, summaryBox, labelsBox),
    card(timelineTitle, timeline),
    convoBox,
  ], g);
  draw();
  pending.refresh().catch(function (err) { pending.textContent = "Pending work: " + err.message; });
  const mark = kind === "span" ? document.getElementById("span-" + id) : null;
  if (mark) mark.scrollIntoView({ block: "nearest" });
}
ROUTES.session = function (rest, params) { return rest[0] ? unitView("session", rest.join("/"), params) : trafficView("session", params); };
ROUTES.trace = function (rest, params) { return rest[0] ? unitView("trace", rest.join("/"), params) : trafficView("trace", params); };
ROUTES.span = function (rest, params) { return unitView("span", rest.join("/"), params); };
`;
