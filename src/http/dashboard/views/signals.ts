/** The signal list (`#/signals`): each signal with its state, last 24 hours and a New signal button and a template to start the form from. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks. */
export const SIGNALS_VIEW = String.raw`
async function signalsView(params) {
  const g = generation;
  const archived = params.get("archived") === "1";
  const [list, templates] = await Promise.all([api.get("/signals" + qs({ includeArchived: archived ? "true" : "" })), api.get("/templates")]);
  const details = await Promise.all(list.map(function (s) { return api.get("/signals/" + enc(s.id)); }));
  const rowOf = function (s) {
    const labels = labelsOf(s.definition);
    const row = h("tr", { "data-signal": s.name, "data-key": s.id },
      h("td", {}, h("a", { href: signalHref(s.id), text: s.name })),
      h("td", {}, badge(s.state)),
      h("td", { class: "num", text: "v" + s.version }),
      h("td", { class: "hide-sm", text: s.scope }),
      h("td", { class: "hide-sm", text: s.type }),
      h("td", { class: "hide-sm", text: visibleName(s.agent) }),
      h("td", { class: "num", text: s.labelled }),
      h("td", {}, distBar(s.last24h, labels)),
      can("change_signals") ? h("td", {}, stateButtons(s, route)) : null);
    row._sig = JSON.stringify(s);
    return row;
  };
  const rows = details.map(rowOf);
  // Live: states, versions, counts and the 24 h bars change in place (a new or removed signal too).
  const refresh = async function () {
    const fresh = await api.get("/signals" + qs({ includeArchived: archived ? "true" : "" }));
    const more = await Promise.all(fresh.map(function (s) { return api.get("/signals/" + enc(s.id)); }));
    const tbody = view.querySelector("#signals-table tbody");
    if (tbody && more.length) syncChildren(tbody, more.map(rowOf));
  };
  const tpl = select(templates.map(function (t) { return [t.id, t.title + " (" + t.scope + ", " + t.type + ")"]; }), templates[0] && templates[0].id, { id: "template" });
  const fromTemplate = h("button", { type: "submit", id: "create", class: "secondary", text: "Start from template" });
  const form = h("form", { class: "row", id: "create-form" }, h("a", { class: "button", href: "#/new", id: "new-signal", text: "New signal" }), h("span", { class: "hint", text: "or" }), field("Template", tpl), fromTemplate);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    go("#/new?template=" + enc(tpl.value));
  });
  const toggle = h("a", { href: archived ? "#/signals" : "#/signals?archived=1", text: archived ? "Hide archived" : "Show archived" });
  render([
    h("div", { class: "titlebar" }, h("h1", { text: "Signals" }), liveBar(refresh)),
    can("change_signals") ? card("New signal", form, h("p", { class: "hint", text: "A name and a plain-language prompt are enough; a template fills in a tested one. Test it in the form, then save a draft or activate it." })) : null,
    card("All signals",
      list.length === 0 ? h("p", { class: "hint", text: can("change_signals") ? "No signals yet: create one above." : "No signals of this agent yet." })
        : table(["Signal", "State", "Version", "Scope", "Type", "Agent", "Labelled", "Last 24 h"].concat(can("change_signals") ? ["Actions"] : []), rows, { id: "signals-table" }),
      can("change_signals") ? null : operatorsOnly("Creating signals and changing their state are", "signals-operator-only"),
      h("p", {}, toggle)),
  ], g);
  // The scope/type/agent headers hide on a phone with their cells.
  view.querySelectorAll("#signals-table th").forEach(function (th, i) { if (i >= 3 && i <= 5) th.classList.add("hide-sm"); });
}
ROUTES.signals = function (rest, params) { return signalsView(params); };
`;
