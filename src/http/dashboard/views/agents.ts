/** The agents (`#/agents`): traffic over time and per agent. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks. */
export const AGENTS_VIEW = String.raw`
async function agentsView() {
  const g = generation;
  const [agents, signals] = await Promise.all([api.get("/agents"), api.get("/signals")]);
  const rows = agents.map(function (a) {
    const on = signals.filter(function (s) { return s.agent === a.agent || s.agent === "*"; });
    return h("tr", { "data-agent": a.agent }, h("td", {}, h("a", { href: "#/sessions" + qs({ agent: a.agent }), text: visibleName(a.agent) })),
      h("td", { class: "num", "data-label": "sessions" }, h("a", { href: "#/sessions" + qs({ agent: a.agent }), text: num(a.sessions, 0), "aria-label": "Sessions of " + visibleName(a.agent) })),
      h("td", { class: "num", "data-label": "traces" }, h("a", { href: "#/traces" + qs({ agent: a.agent }), text: num(a.traces, 0), "aria-label": "Traces of " + visibleName(a.agent) })), h("td", { class: "num", text: num(a.spans, 0), "data-label": "spans" }),
      h("td", { class: "hide-sm", text: time(a.firstSeen) }), h("td", { text: time(a.lastSeen), "data-label": "last seen" }),
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
      : table(["Agent", "Sessions", "Traces", "Spans", "First seen", "Last seen", "Signals"], rows, { id: "agents-table", class: "stackable" })),
  ], g);
  view.querySelectorAll("#agents-table th").forEach(function (th, i) { if (i === 4) th.classList.add("hide-sm"); });
  await draw();
}
ROUTES.agents = function () { return agentsView(); };
`;
