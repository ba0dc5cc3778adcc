/**
 * Review (`#/review/ID`): walks a signal's targets in the service's fixed pseudo-random order, one at a time, and
 * labels them by keyboard (y/n or 1-9, j/k or ←/→ to move, u to undo) as human labels; the agreement of each
 * version's judge with reviewers updates after every label. Also the "Judges" card of the signal view
 * (`judgingCard`). A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks.
 */
export const REVIEW_VIEW = String.raw`
const REVIEWER_KEY = "agent-signals-reviewer";
// One line per version: labels per judge, the LLM's share, the cost saved, agreement with reviewers.
function judgingTable(r) {
  return table(["Version", "Judge", "Labels", "To the LLM", "Saved per 1,000", "Agrees with reviewers"], r.versions.map(function (v) {
    const a = v.agreement;
    const counts = Object.keys(v.counts).map(function (j) { return j + " " + v.counts[j]; }).join(", ") || "none";
    const cascade = v.judge === "learned-then-llm" || v.judge === "rules-then-llm";
    return h("tr", { "data-version": v.version },
      h("td", { class: "num", text: "v" + v.version }), h("td", { text: v.judge }), h("td", { text: counts }),
      h("td", { text: cascade && v.llm_share !== null ? pct(v.llm_share) + (v.expected_llm_share !== null ? " (expected " + pct(v.expected_llm_share) + ")" : "") : v.judge === "llm" ? "100%" : "none" }),
      h("td", { text: v.saved_usd_per_1000 !== null && v.judge !== "llm" ? "$" + v.saved_usd_per_1000.toFixed(4) : "" }),
      h("td", { class: "agreement", text: a.n === 0 ? "no reviewed target" : pct(a.share) + " of " + a.n + (a.kappa === null ? "" : " · kappa " + a.kappa.toFixed(2)) }));
  }), { class: "stackable judging" });
}
function judgingNote(r) {
  return h("p", { class: "hint", text: r.reviewed + " target(s) reviewed" + (r.reviewers.length ? " by " + r.reviewers.map(function (x) { return x.name + " (" + x.n + ")"; }).join(", ") : "") + ". " +
    (r.llm_usd_per_target === null ? "Cost saved needs priced LLM labels (the provider's prices)." : "An LLM-judged target cost $" + r.llm_usd_per_target.toFixed(6) + " on average.") });
}
// The signal view's card: filled when the report arrives (the view does not wait for it).
function judgingCard(s) {
  const box = h("div", { id: "judging" }, h("p", { class: "hint", text: "Loading…" }));
  api.get("/signals/" + enc(s.id) + "/judges").then(function (r) {
    box.replaceChildren(judgingTable(r), judgingNote(r));
  }).catch(function (err) { box.replaceChildren(h("p", { class: "error", text: err.message })); });
  return card("Judges and reviewers", box, h("p", {}, h("a", { href: "#/review/" + enc(s.id), id: "review-link", text: "Review this signal's labels" })));
}
function confusionTable(a, labels) {
  return h("div", { class: "table-wrap" }, h("table", { id: "confusion", class: "confusion" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "reviewer \\ judge" }), labels.map(function (l) { return h("th", { scope: "col", class: "num", text: l }); }))),
    h("tbody", {}, labels.map(function (hl) {
      return h("tr", {}, h("th", { scope: "row", text: hl }), labels.map(function (ml) { return h("td", { class: "num" + (hl === ml ? " diag" : ""), text: String(a.confusion[hl] ? a.confusion[hl][ml] || 0 : 0) }); }));
    }))));
}

async function reviewPicker() {
  const g = generation;
  const signals = await api.get("/signals");
  render([h("h1", { text: "Review" }),
    card("Choose a signal", signals.length === 0 ? h("p", { class: "hint", text: "No signals yet." }) : h("ul", { class: "plain", id: "review-signals" }, signals.map(function (s) {
      return h("li", {}, h("a", { href: "#/review/" + enc(s.id), text: s.name }), h("span", { class: "muted", text: " " + s.labelled + " labelled · v" + s.version }));
    })))], g);
}

async function reviewView(id) {
  const g = generation;
  const s = await api.get("/signals/" + enc(id));
  const labels = labelsOf(s.definition);
  const binary = s.type === "binary";
  const keyOf = function (l, i) { return binary ? (l === "yes" ? "y" : "n") : String(i + 1); };
  const items = [];
  let cursor = null;
  let done = false;
  let at = 0;
  const given = {}; // item index -> the human label row given in this visit
  const undo = []; // [{ index, row, before }]
  const reviewer = h("input", { id: "reviewer", size: 14, placeholder: "your name", autocomplete: "name", value: localStorage.getItem(REVIEWER_KEY) || "" });
  reviewer.addEventListener("change", function () { reviewer.value.trim() ? localStorage.setItem(REVIEWER_KEY, reviewer.value.trim()) : localStorage.removeItem(REVIEWER_KEY); });
  const position = h("p", { class: "hint", id: "review-position" });
  const convo = h("div", { class: "msgs", id: "review-messages" });
  const machine = h("div", { id: "review-machine" });
  const yours = h("div", { id: "review-human" });
  const buttons = h("div", { class: "actions", id: "review-buttons" }, labels.slice(0, 9).map(function (l, i) {
    const b = h("button", { type: "button", class: "secondary", "data-label": l, "aria-keyshortcuts": keyOf(l, i) }, h("kbd", { text: keyOf(l, i) }), " " + l);
    b.addEventListener("click", function () { label(l).catch(fail); });
    return b;
  }));
  const agreementBox = h("div", { id: "agreement" });
  const convoTitle = h("h2", { text: "Conversation" });

  const loadMore = async function () {
    if (done) return;
    const page = await api.get("/signals/" + enc(s.id) + "/review-queue" + qs({ limit: "25", cursor: cursor || "" }));
    page.items.forEach(function (l) { items.push(l); });
    cursor = page.nextCursor;
    done = cursor === null;
  };
  const refreshAgreement = async function () {
    const r = await api.get("/signals/" + enc(s.id) + "/judges");
    if (g !== generation) return;
    const now = r.versions.find(function (v) { return v.version === s.version; }) || r.versions[0];
    const a = now.agreement;
    agreementBox.replaceChildren(
      h("p", { class: "headline", id: "agreement-share", text: a.n === 0 ? "v" + now.version + ": no reviewed target yet" :
        "v" + now.version + " (" + now.judge + ") agrees with reviewers on " + pct(a.share) + " of " + a.n + (a.kappa === null ? "" : " · Cohen's kappa " + a.kappa.toFixed(2)) }),
      confusionTable(a, labels),
      h("ul", { class: "plain", id: "agreement-versions" }, r.versions.map(function (v) {
        const x = v.agreement;
        return h("li", { "data-version": v.version }, h("b", { text: "v" + v.version + " " }), v.judge + ": " + (x.n === 0 ? "no reviewed target" : pct(x.share) + " of " + x.n + (x.kappa === null ? "" : " · kappa " + x.kappa.toFixed(2))));
      })),
      judgingNote(r));
  };
  const show = async function () {
    if (at >= items.length && !done) await loadMore();
    if (g !== generation) return;
    if (items.length === 0) {
      position.textContent = "Nothing to review: every current label of " + s.name + " has a reviewer's label (or there are none yet).";
      convo.replaceChildren();
      machine.replaceChildren();
      yours.replaceChildren();
      return;
    }
    at = Math.max(0, Math.min(at, items.length - 1));
    const l = items[at];
    const reviewed = Object.keys(given).length;
    position.textContent = "Target " + (at + 1) + " of " + items.length + (done ? "" : "+") + " · " + reviewed + " labelled in this visit";
    machine.replaceChildren(h("div", { class: "row" }, chip(l.value === null ? l.status : l.value, labels), h("span", { class: "muted", text: l.judge + " · v" + l.version + " · " + l.targetKind + " " + l.targetId })),
      h("p", { class: "expl", text: l.explanation }));
    const mine = given[at];
    yours.replaceChildren(mine ? h("p", {}, "Your label: ", chip(mine.value, labels), h("span", { class: "muted", text: " by " + mine.reviewer })) : h("p", { class: "hint", text: "Not labelled by you yet." }));
    view.querySelectorAll("#review-buttons button").forEach(function (b) { b.setAttribute("aria-pressed", mine && mine.value === b.getAttribute("data-label") ? "true" : "false"); });
    convoTitle.textContent = "Conversation";
    convo.replaceChildren(h("p", { class: "hint", text: "Loading…" }));
    const want = at;
    const t = await api.get("/targets/" + l.targetKind + "/" + enc(l.targetId) + qs({ agent: l.agent, limit: "60" }));
    if (g !== generation || want !== at) return;
    convoTitle.textContent = "Conversation (" + t.messageCount + " messages" + (t.messageOffset > 0 ? ", the last " + t.messages.length + " shown" : "") + ")";
    convo.replaceChildren.apply(convo, t.messages.map(function (m, k) {
      return h("div", { class: "msg", "data-index": t.messageOffset + k }, h("div", { class: "who", text: "#" + (t.messageOffset + k) + " " + m.from }), h("div", { class: "text", text: m.value }));
    }));
    convo.appendChild(h("p", {}, h("a", { href: targetHref(l.targetKind, l.targetId, l.agent), text: "Open the whole " + l.targetKind })));
  };
  const move = function (by) {
    at += by;
    if (at < 0) at = 0;
    show().catch(fail);
  };
  const label = async function (value) {
    const who = reviewer.value.trim();
    if (!who) { notice("Enter your name as reviewer first (it is recorded with each label)", true); reviewer.focus(); return; }
    localStorage.setItem(REVIEWER_KEY, who);
    const l = items[at];
    if (!l) return;
    const row = await api.post("/signals/" + enc(s.id) + "/reviews", { id: l.targetId, agent: l.agent, value: value, reviewer: who });
    undo.push({ index: at, row: row, before: given[at] });
    given[at] = row;
    notice(l.targetKind + " " + l.targetId + ": " + value + (l.value !== null && l.value !== value ? " (corrected " + l.judge + "'s " + l.value + ")" : ""));
    await refreshAgreement();
    if (at < items.length - 1 || !done) at++;
    await show();
  };
  const undoLast = async function () {
    const last = undo.pop();
    if (!last) { notice("Nothing to undo"); return; }
    await request("DELETE", "/signals/" + enc(s.id) + "/reviews/" + enc(last.row.id));
    if (last.before) given[last.index] = last.before; else delete given[last.index];
    at = last.index;
    notice("Undone: " + last.row.targetId + " " + last.row.value);
    await refreshAgreement();
    await show();
  };
  const onKey = function (e) {
    if (g !== generation) { document.removeEventListener("keydown", onKey); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    let value = null;
    if (binary && (e.key === "y" || e.key === "n")) value = e.key === "y" ? "yes" : "no";
    else if (/^[1-9]$/.test(e.key) && Number(e.key) <= labels.length) value = labels[Number(e.key) - 1];
    if (value !== null) { e.preventDefault(); label(value).catch(fail); return; }
    if (e.key === "j" || e.key === "ArrowRight") { e.preventDefault(); move(1); }
    else if (e.key === "k" || e.key === "ArrowLeft") { e.preventDefault(); move(-1); }
    else if (e.key === "u") { e.preventDefault(); undoLast().catch(fail); }
  };
  document.addEventListener("keydown", onKey);

  render([
    h("p", { class: "muted" }, h("a", { href: "#/review", text: "Review" }), " / ", h("a", { href: signalHref(s.id), text: s.name })),
    h("h1", {}, "Review " + s.name, h("span", { class: "muted", text: "version " + s.version })),
    h("div", { class: "row" }, field("Reviewer", reviewer),
      h("p", { class: "hint keys", text: (binary ? "y / n" : "1-" + Math.min(9, labels.length)) + " label · j / k or ← / → move · u undo" })),
    position,
    h("div", { class: "grid2 review" },
      h("section", { class: "card", "aria-label": "Conversation" }, convoTitle, convo),
      h("div", {},
        card("Label", h("h2", { text: "The judge said" }), machine, h("h2", { text: "You" }), yours, buttons),
        card("Agreement with reviewers", agreementBox))),
  ], g);
  await Promise.all([refreshAgreement(), show()]);
}
ROUTES.review = function (rest) { return rest[0] ? reviewView(rest[0]) : reviewPicker(); };
`;
