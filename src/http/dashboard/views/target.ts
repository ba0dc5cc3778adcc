/**
 * What every unit view (session, trace, span: ./session.ts) shows of `GET /v1/targets/KIND/ID`: the conversation
 * with the built-in signals marked (good news in green, problems in red), the built-in report and the unit's own
 * custom labels. `#/target/KIND/ID` (older links) opens the unit's view. A piece of the dashboard script (see
 * ../client.ts): plain DOM code, no backticks.
 */
export const TARGET_VIEW = String.raw`
function builtinRows(report) {
  const rows = [];
  GROUPS.forEach(function (g) {
    ((report[g[0]] || {})[g[1]] || { signals: [] }).signals.forEach(function (sig) { rows.push(sig); });
  });
  return rows;
}
function jumpToMessage(e) {
  e.preventDefault();
  const target = document.getElementById(e.currentTarget.getAttribute("href").slice(1));
  if (target) { target.scrollIntoView({ block: "center" }); target.focus(); }
}
function conversationCard(t, kind, id) {
  const flags = {};
  builtinRows(t.report).forEach(function (sig) { (flags[sig.message_index] = flags[sig.message_index] || []).push(sig.signal_type); });
  // A long conversation comes a page at a time (the last messages first); indexes stay those of the whole.
  const messages = t.messages.map(function (m, k) {
    const i = t.messageOffset + k;
    const types = flags[i] || [];
    const bad = types.some(function (x) { return !positiveType(x); });
    return h("div", { class: "msg" + (types.length ? (bad ? " flagged" : " praised") : ""), id: "msg-" + i, "data-index": i, tabindex: -1 },
      h("div", { class: "who", text: "#" + i + " " + m.from }), h("div", { class: "text", text: m.value }),
      types.map(function (x) { return builtinTag(x); }));
  });
  return card("Conversation (" + num(t.messageCount, 0) + " messages)",
    t.messageOffset > 0 ? h("p", { class: "hint", id: "earlier" }, "Messages " + t.messageOffset + " to " + (t.messageOffset + t.messages.length - 1) + " shown. ",
      h("a", { href: "#/" + kind + "/" + enc(id) + qs({ agent: t.agent, before: String(t.messageOffset) }), text: "Earlier messages" })) : null,
    messages.length ? h("div", { class: "msgs", id: "messages" }, messages) : h("p", { class: "hint", id: "messages", text: "No readable message in this " + kind + "." }));
}
function builtinCard(t) {
  const rows = builtinRows(t.report);
  return card("Built-in signals",
    h("p", {}, h("span", { class: "badge q-" + t.report.overall_quality, text: t.report.overall_quality }), " ", h("span", { class: "muted", text: t.report.summary })),
    rows.length ? table(["Signal", "Message", "Snippet"], rows.map(function (sig) {
      return h("tr", {}, h("td", {}, builtinTag(sig.signal_type)), h("td", {}, h("a", { href: "#msg-" + sig.message_index, text: "#" + sig.message_index, onclick: jumpToMessage })), h("td", { class: "expl", text: sig.snippet }));
    }), { id: "builtin-signals", class: "stackable" }) : h("p", { class: "hint", text: "No built-in signals." }));
}
function labelsCard(t, kind) {
  const current = t.labels.filter(function (l) { return !l.superseded; });
  const older = t.labels.length - current.length;
  const items = current.map(function (l) {
    const s = signalInfo[l.signalId];
    const name = s ? s.name : l.signalId;
    return h("div", { class: "label-item", "data-signal": name },
      h("div", { class: "row" }, s ? h("a", { href: signalHref(s.id), text: name }) : name, chip(l.value === null ? l.status : l.value, s ? s.labels : []),
        h("span", { class: "muted", text: "v" + l.version + " · " + l.judge + " · " + time(l.labelledAt) })),
      l.explanation ? h("p", { text: l.explanation }) : null);
  });
  return card("Custom labels of this " + kind, items.length ? h("div", { class: "labels-list", id: "target-labels" }, items) : h("p", { class: "hint", text: "No custom signal has labelled this " + kind + "." }),
    older ? h("p", { class: "hint", text: older + " older labels (earlier revisions or versions) not shown" }) : null);
}
ROUTES.target = function (rest, params) { return rest[1] ? unitView(rest[0], rest.slice(1).join("/"), params) : trafficView("session", params); };
`;
