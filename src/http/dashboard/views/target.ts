/** One target (`#/target/KIND/ID`): its messages with the built-in signals marked and its custom labels. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks. */
export const TARGET_VIEW = String.raw`
async function targetView(kind, id, agent, before) {
  const [t, signals] = await Promise.all([api.get("/targets/" + kind + "/" + enc(id) + qs({ agent: agent || "", before: before || "" })), api.get("/signals?includeArchived=true")]);
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
  // A long conversation comes a page at a time (the last messages first); indexes stay those of the whole.
  const messages = t.messages.map(function (m, k) {
    const i = t.messageOffset + k;
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
      card("Conversation (" + t.messageCount + " messages)",
        t.messageOffset > 0 ? h("p", { class: "hint", id: "earlier" }, "Messages " + t.messageOffset + " to " + (t.messageOffset + t.messages.length - 1) + " shown. ",
          h("a", { href: "#/target/" + kind + "/" + enc(id) + qs({ agent: t.agent, before: String(t.messageOffset) }), text: "Earlier messages" })) : null,
        h("div", { class: "msgs", id: "messages" }, messages))),
  ]);
}
ROUTES.target = function (rest, params) { return rest[1] ? targetView(rest[0], rest.slice(1).join("/"), params.get("agent"), params.get("before")) : signalsView(params); };
`;
