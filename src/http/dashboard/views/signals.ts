/** The signal list (`#/signals`): each signal with its state, last 24 hours and a form to create one from a template. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks. */
export const SIGNALS_VIEW = String.raw`
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
ROUTES.signals = function (rest, params) { return signalsView(params); };
`;
