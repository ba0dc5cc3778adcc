/**
 * The New signal and Edit signal form (`#/new`, `#/new?template=ID`, `#/edit/ID`): every field of a signal as a
 * control (name, agent, scope, yes/no or a label editor, prompt, judge with provider and model, sample rate,
 * filters), a Test of the unsaved definition on recent traffic, and Save draft / Activate (a new version when
 * editing). The form builds the definition itself; nobody types JSON. Errors of the API are placed next to the
 * field their path names. A piece of the dashboard script (see ../client.ts): plain DOM code, no backticks.
 */
export const SIGNAL_FORM_VIEW = String.raw`
const SCOPES = [
  ["session", "Session", "a whole conversation: the traces that share a session id (traffic without one is judged per trace)"],
  ["trace", "Trace", "one agent run: a request and every LLM and tool call it made"],
  ["span", "Span", "each LLM or tool call on its own"],
];
const JUDGES = {
  "llm": "LLM: the provider's model reads the conversation and the prompt",
  "rules": "Rules: the template's phrase and pattern rules, no model",
  "rules-then-llm": "Rules, then the LLM where no rule decides",
  "learned": "Learned: the trained model, no LLM calls",
  "learned-then-llm": "Learned, then the LLM where the model is unsure",
};
const SAMPLE_PRESETS = [["1", "All (100%)"], ["0.5", "50%"], ["0.25", "25%"], ["0.1", "10%"], ["custom", "Custom"]];
const TEST_WINDOWS = [["1h", "Last hour"], ["24h", "Last 24 hours"], ["7d", "Last 7 days"], ["", "All stored traffic"]];

// A form's error slots: fieldError(key) is the line under a field; show(err) puts each "path: message" detail in
// the slot its path names (the first matching key, longest first), the rest in the form's own slot.
function formErrors(formSlot) {
  const slots = Object.create(null);
  return {
    slot: function (key, control) {
      const p = h("p", { class: "field-error", id: "err-" + key.replace(/[^a-z0-9-]/gi, "-"), hidden: true });
      slots[key] = { p: p, control: control };
      if (control) control.setAttribute("aria-describedby", p.id);
      return p;
    },
    clear: function () {
      formSlot.replaceChildren();
      formSlot.hidden = true;
      Object.values(slots).forEach(function (s) { s.p.hidden = true; s.p.textContent = ""; if (s.control) s.control.removeAttribute("aria-invalid"); });
    },
    show: function (err, place) {
      const lines = err.details && err.details.length ? err.details : [err.message];
      const general = [];
      let first = null;
      lines.forEach(function (line) {
        const key = place(line);
        const s = key && slots[key];
        if (!s) { general.push(line); return; }
        s.p.textContent = (s.p.textContent ? s.p.textContent + " · " : "") + line.replace(/^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*: /i, "");
        s.p.hidden = false;
        if (s.control) s.control.setAttribute("aria-invalid", "true");
        if (!first) first = s;
      });
      // Lines no field claims are shown above the buttons (all of them when none was placed).
      if (general.length) {
        formSlot.replaceChildren.apply(formSlot, (first ? general : [err.message]).map(function (g) { return h("p", { class: "error", text: g }); }));
        formSlot.hidden = false;
        if (!first) formSlot.scrollIntoView({ block: "center" });
      }
      if (first) { (first.control || first.p).scrollIntoView({ block: "center" }); if (first.control && first.control.focus) first.control.focus(); }
    },
  };
}

// Where an error line of a signal definition belongs: its path's first part, a label row, or what the text names.
function signalErrorKey(line) {
  let m = /^labels\[(\d+)\]/.exec(line);
  if (m) return "label-" + m[1];
  m = /^(llm\.provider|llm\.model|[a-z_]+)[\[.:]/.exec(line);
  if (m) {
    const k = m[1];
    if (k === "rules" || k === "learned" || k === "llm") return "judge";
    if (k === "type") return "labels";
    return k;
  }
  if (/^name is required|signal named|name "/i.test(line)) return "name";
  if (/^prompt/i.test(line)) return "prompt";
  if (/provider|SIGNALS_LLM_/i.test(line)) return "judge";
  if (/scope/i.test(line)) return "scope";
  return null;
}

function radioGroup(name, options, value, onChange, disabled) {
  return h("div", { class: "choices", role: "radiogroup" }, options.map(function (o) {
    const input = h("input", { type: "radio", name: name, value: o[0], id: name + "-" + o[0], checked: o[0] === value, disabled: disabled });
    if (onChange) input.addEventListener("change", onChange);
    return h("label", { class: "choice", for: input.id }, input, h("span", {}, h("strong", { text: o[1] }), o[2] ? h("span", { class: "hint", text: " " + o[2] }) : null));
  }));
}
function radioValue(root, name) { const r = root.querySelector('input[name="' + name + '"]:checked'); return r ? r.value : ""; }
function listText(v) { return v === undefined ? "" : Array.isArray(v) ? v.join(", ") : String(v); }
// One name stays a string unless the definition had a list there, so an unchanged filter saves unchanged.
function listValue(text, before) {
  const items = text.split(",").map(function (x) { return x.trim(); }).filter(Boolean);
  return items.length === 0 ? undefined : items.length === 1 && !Array.isArray(before) ? items[0] : items;
}

async function signalForm(id, params) {
  const g = generation;
  const editing = Boolean(id);
  if (!can("change_signals")) {
    render([h("h1", { text: editing ? "Edit signal" : "New signal" }), operatorsOnly("Creating and editing signals is", "form-operator-only"),
      h("p", {}, h("a", { href: editing ? signalHref(id) : "#/signals", text: editing ? "Back to the signal" : "Back to the signals" }))], g);
    return;
  }
  const [signal, templates, agents, providers] = await Promise.all([
    editing ? api.get("/signals/" + enc(id)) : null,
    editing ? [] : api.get("/templates"),
    api.get("/agents").catch(function () { return []; }),
    api.get("/providers").catch(function () { return []; }),
  ]);
  // The definition the form starts from and keeps what it has no control for (rules, a learned model, llm caps).
  let base = editing ? signal.definition : {};
  const form = h("form", { id: "signal-form", class: "signal-form", novalidate: true });
  const formSlot = h("div", { id: "form-errors", role: "alert", hidden: true });
  const errs = formErrors(formSlot);

  // Template (new only).
  const tplSel = editing ? null : select([["", "Blank: my own prompt"]].concat(templates.map(function (t) { return [t.id, t.title]; })), params.get("template") || "", { id: "sf-template" });

  const name = h("input", { id: "sf-name", required: true, autocomplete: "off", spellcheck: "false", placeholder: "refund-request", readonly: editing });
  const agent = h("input", { id: "sf-agent", list: "sf-agents", autocomplete: "off", placeholder: "* (every agent)" });
  const agentList = h("datalist", { id: "sf-agents" }, [h("option", { value: "*", text: "every agent" })].concat(agents.map(function (a) { return h("option", { value: a.agent, label: visibleName(a.agent) }); })));
  const description = h("input", { id: "sf-description", autocomplete: "off", placeholder: "optional: what this signal is for" });
  const scopeBox = h("div", { id: "sf-scope" });
  const prompt = h("textarea", { id: "sf-prompt", class: "prose", rows: 6, placeholder: "Does the user ask for a refund or their money back?" });

  // Output: yes/no, or a label editor (2 to 10 labels, each with an optional description).
  const typeBox = h("div", { id: "sf-type" });
  const labelRows = h("div", { id: "sf-labels", class: "label-rows" });
  const addLabel = h("button", { type: "button", class: "secondary", id: "sf-add-label", text: "Add label" });
  const labelSlot = errs.slot("labels", null);
  const labelErrors = [];
  const labelRow = function (l) {
    const i = labelRows.children.length;
    const n = h("input", { class: "label-name", "aria-label": "Label " + (i + 1) + " name", value: l.name || "", autocomplete: "off", spellcheck: "false", size: 14 });
    const d = h("input", { class: "label-desc", "aria-label": "Label " + (i + 1) + " description", value: l.description || "", autocomplete: "off", placeholder: "what it means (helps the judge)" });
    const rm = h("button", { type: "button", class: "secondary remove-label", text: "Remove", "aria-label": "Remove label " + (i + 1) });
    const row = h("div", { class: "label-row" }, n, d, rm);
    rm.addEventListener("click", function () { row.remove(); syncLabels(); });
    labelRows.appendChild(row);
    syncLabels();
    return n;
  };
  const syncLabels = function () {
    // Error slots follow the rows, so "labels[2].name: duplicate" lands under the third row.
    labelErrors.splice(0).forEach(function (p) { p.remove(); });
    Array.prototype.forEach.call(labelRows.children, function (row, i) {
      if (row.classList.contains("field-error")) return;
      const n = row.querySelector(".label-name");
      n.setAttribute("aria-label", "Label " + (i + 1) + " name");
      row.querySelector(".label-desc").setAttribute("aria-label", "Label " + (i + 1) + " description");
      row.querySelector(".remove-label").setAttribute("aria-label", "Remove label " + (i + 1));
      const p = errs.slot("label-" + i, n);
      labelErrors.push(p);
      row.appendChild(p);
    });
    addLabel.disabled = labelRows.children.length >= 10;
  };
  addLabel.addEventListener("click", function () { labelRow({}).focus(); });
  const labelsEditor = h("div", { id: "sf-labels-editor" }, labelRows, h("div", { class: "row" }, addLabel, h("span", { class: "hint", text: "2 to 10 labels; undecided and error are reserved." })), labelSlot);
  const readLabels = function () {
    return Array.prototype.map.call(labelRows.querySelectorAll(".label-row"), function (row) {
      const out = { name: row.querySelector(".label-name").value.trim() };
      const d = row.querySelector(".label-desc").value.trim();
      if (d) out.description = d;
      return out;
    });
  };
  const syncType = function () { labelsEditor.hidden = radioValue(typeBox, "sf-type") !== "labels"; if (!labelsEditor.hidden && labelRows.children.length === 0) { labelRow({}); labelRow({}); } };

  // Judge: the LLM with an operator provider and optional model; rules or a learned model when the base has them.
  const judge = h("select", { id: "sf-judge" });
  const judgeHint = h("p", { class: "hint", id: "sf-judge-hint" });
  const provider = select(providers.map(function (p) { return [p.name, p.name + " · " + p.model + (p.paused ? " (paused)" : "")]; }), "default", { id: "sf-provider" });
  const model = h("input", { id: "sf-model", autocomplete: "off", spellcheck: "false", size: 26 });
  const llmFields = h("div", { class: "row", id: "sf-llm" }, field("Provider", provider), field("Model (optional)", model));
  const noProvider = h("p", { class: "error", id: "sf-no-provider", hidden: true, text: "No LLM provider is configured: the operator sets SIGNALS_LLM_BASE_URL, SIGNALS_LLM_MODEL and SIGNALS_LLM_API_KEY where the service runs (or start from a template with rules or a learned model)." });
  const usesLlm = function (j) { return j === "llm" || j === "rules-then-llm" || j === "learned-then-llm"; };
  const syncJudge = function () {
    judgeHint.textContent = JUDGES[judge.value] || "";
    llmFields.hidden = !usesLlm(judge.value) || providers.length === 0;
    noProvider.hidden = !usesLlm(judge.value) || providers.length > 0;
    const p = providers.find(function (x) { return x.name === provider.value; });
    model.placeholder = p ? p.model + " (the provider's)" : "";
  };
  judge.addEventListener("change", syncJudge);
  provider.addEventListener("change", syncJudge);
  const fillJudges = function (value) {
    const kinds = ["llm"];
    if (base.rules) kinds.push("rules", "rules-then-llm");
    if (base.learned) kinds.push("learned", "learned-then-llm");
    judge.replaceChildren.apply(judge, kinds.map(function (k) { return h("option", { value: k, text: k, selected: k === value }); }));
    if (!kinds.includes(value)) judge.value = "llm";
    syncJudge();
  };

  // Sample rate: presets plus a custom percentage.
  const sample = select(SAMPLE_PRESETS, "1", { id: "sf-sample" });
  const sampleCustom = h("input", { id: "sf-sample-custom", type: "number", min: 0.1, max: 100, step: "any", size: 5, "aria-label": "Custom sample rate in percent" });
  const customBox = h("span", { class: "inline" }, sampleCustom, " %");
  const syncSample = function () { customBox.hidden = sample.value !== "custom"; };
  sample.addEventListener("change", syncSample);

  // Filters: which targets the signal looks at (every given one must match).
  const fSpan = h("input", { id: "sf-filter-span", autocomplete: "off", placeholder: "chat*, agent.run" });
  const fModel = h("input", { id: "sf-filter-model", autocomplete: "off", placeholder: "gpt-4o*" });
  const fBuiltin = h("input", { id: "sf-filter-builtin", autocomplete: "off", placeholder: "execution.failure.*" });
  const fMin = h("input", { id: "sf-filter-min", type: "number", min: 0, size: 5 });
  const fMax = h("input", { id: "sf-filter-max", type: "number", min: 0, size: 5 });

  const fill = function (def) {
    name.value = def.name || name.value;
    agent.value = def.agent && def.agent !== "*" ? def.agent : (editing ? "*" : agent.value || (agents.length ? agents[0].agent : ""));
    description.value = def.description || "";
    scopeBox.replaceChildren(radioGroup("sf-scope", SCOPES, def.scope || "session", null, editing));
    prompt.value = def.prompt || "";
    typeBox.replaceChildren(radioGroup("sf-type", [["binary", "Yes / no"], ["labels", "Labels", "2 to 10 named outcomes"]], def.type || "binary", syncType));
    labelRows.replaceChildren();
    (def.type === "labels" ? def.labels || [] : []).forEach(labelRow);
    syncType();
    fillJudges(def.judge || "llm");
    const llm = def.llm || {};
    provider.value = llm.provider || "default";
    model.value = llm.model || "";
    syncJudge();
    const rate = def.sample_rate === undefined ? 1 : def.sample_rate;
    const preset = SAMPLE_PRESETS.find(function (p) { return Number(p[0]) === rate; });
    sample.value = preset ? preset[0] : "custom";
    sampleCustom.value = preset ? "" : String(Math.round(rate * 10000) / 100);
    syncSample();
    const f = def.filter || {};
    fSpan.value = listText(f.span_name);
    fModel.value = listText(f.model);
    fBuiltin.value = listText(f.signals);
    fMin.value = f.min_messages === undefined ? "" : String(f.min_messages);
    fMax.value = f.max_messages === undefined ? "" : String(f.max_messages);
  };
  if (tplSel) {
    tplSel.addEventListener("change", function () {
      const t = templates.find(function (x) { return x.id === tplSel.value; });
      base = t ? t.definition : {};
      fill(t ? Object.assign({}, t.definition, { agent: agent.value || t.definition.agent }) : { name: "", prompt: "" });
      const p = new URLSearchParams();
      if (tplSel.value) p.set("template", tplSel.value);
      history.replaceState(null, "", "#/new" + (p.toString() ? "?" + p.toString() : ""));
    });
  }
  const startTemplate = tplSel && templates.find(function (x) { return x.id === tplSel.value; });
  if (startTemplate) base = startTemplate.definition;
  fill(base);

  // The definition as the API takes it, built from the controls and the base's other fields.
  const build = function () {
    const d = Object.assign({}, base);
    d.name = name.value.trim();
    d.agent = agent.value.trim() || "*";
    const desc = description.value.trim();
    if (desc) d.description = desc; else delete d.description;
    d.scope = radioValue(scopeBox, "sf-scope");
    d.type = radioValue(typeBox, "sf-type");
    if (d.type === "labels") d.labels = readLabels(); else delete d.labels;
    d.prompt = prompt.value;
    d.judge = judge.value;
    if (usesLlm(d.judge)) {
      const llm = Object.assign({}, base.llm || {});
      if (provider.value && (provider.value !== "default" || llm.provider)) llm.provider = provider.value; else delete llm.provider;
      if (model.value.trim()) llm.model = model.value.trim(); else delete llm.model;
      if (Object.keys(llm).length) d.llm = llm; else delete d.llm;
    }
    if (d.judge === "llm") { delete d.rules; delete d.learned; }
    if (d.judge === "rules" || d.judge === "rules-then-llm") delete d.learned;
    d.sample_rate = sample.value === "custom" ? Number(sampleCustom.value) / 100 : Number(sample.value);
    const f = {};
    if (base.filter && base.filter.agent) f.agent = base.filter.agent;
    const bf = base.filter || {};
    if (listValue(fSpan.value)) f.span_name = listValue(fSpan.value, bf.span_name);
    if (listValue(fModel.value)) f.model = listValue(fModel.value, bf.model);
    const sig = fBuiltin.value.split(",").map(function (x) { return x.trim(); }).filter(Boolean);
    if (sig.length) f.signals = sig;
    if (fMin.value !== "") f.min_messages = Number(fMin.value);
    if (fMax.value !== "") f.max_messages = Number(fMax.value);
    if (Object.keys(f).length) d.filter = f; else delete d.filter;
    return d;
  };
  // An edit sends every field, with null for those the form removed, so the new version is what the form shows.
  const patchOf = function (d) {
    const patch = Object.assign({}, d);
    Object.keys(signal.definition).forEach(function (k) { if (!(k in patch)) patch[k] = null; });
    delete patch.name;
    delete patch.scope;
    return patch;
  };

  // Test: the unsaved definition on the most recent targets of a window; nothing is stored.
  const testWin = select(TEST_WINDOWS, "24h", { id: "sf-test-window" });
  const testN = h("input", { id: "sf-test-n", type: "number", min: 1, max: 100, value: 20, size: 4 });
  const testBtn = h("button", { type: "button", id: "sf-test", class: "secondary", text: "Test" });
  const testOut = h("div", { id: "sf-test-result", "aria-live": "polite" });
  testBtn.addEventListener("click", function () {
    errs.clear();
    testOut.replaceChildren(h("p", { class: "hint", text: "Classifying…" }));
    guarded(testBtn, async function () {
      const d = build();
      const labels = d.type === "labels" ? d.labels.map(function (l) { return l.name; }) : ["yes", "no"];
      try {
        const r = await api.post("/signals/test", { definition: d, sample: Number(testN.value), since: testWin.value || undefined });
        const usd = r.rows.reduce(function (n, row) { return n + (row.cost && row.cost.usd || 0); }, 0);
        testOut.replaceChildren(
          h("p", { class: "hint", id: "sf-test-summary", text: r.rows.length + " most recent " + d.scope + "s classified" + (usd ? ", $" + usd.toFixed(4) : "") + "; nothing stored" + (r.unreadable ? "; " + r.unreadable + " with no readable message, not judged" : "") + (r.filtered ? "; " + r.filtered + " more recent outside the filters, not judged" : "") }),
          distBar(r.distribution, labels),
          table(["Target", "Label", "Explanation"], r.rows.map(function (row) {
            return h("tr", { "data-target": row.id }, h("td", {}, h("a", { href: targetHref(row.kind, row.id, row.agent), text: row.id, title: row.kind + " " + row.id })), h("td", {}, chip(row.label || row.status, labels)), h("td", { class: "expl", text: row.explanation }));
          }), { class: "stackable", id: "sf-test-table" }));
      } catch (err) {
        testOut.replaceChildren();
        if (err.status === 404) testOut.replaceChildren(h("p", { class: "error", text: err.message }));
        else errs.show(err, signalErrorKey);
      }
    });
  });

  // Save: a draft or active signal, or a new version (activated if asked).
  const submit = function (button, activate) {
    errs.clear();
    guarded(button, async function () {
      const d = build();
      try {
        if (!editing) {
          const s = await api.post("/signals", { definition: d, state: activate ? "active" : "draft" });
          notice("Created " + s.name + " (" + s.state + ", version 1)" + (activate ? ": labelling new traffic" : ": test it, then activate it"));
          go(signalHref(s.id));
          return;
        }
        const r = await api.patch("/signals/" + enc(signal.id), patchOf(d));
        let s = r.signal;
        if (activate && s.state !== "active") s = await api.post("/signals/" + enc(s.id) + "/state", { state: "active" });
        notice(r.changes.length ? "Version " + s.version + " saved: " + r.changes.join("; ") : "Nothing changed" + (activate ? "; " + s.name + " is " + s.state : ""));
        go(signalHref(s.id));
      } catch (err) { errs.show(err, signalErrorKey); }
    });
  };
  const primary = h("button", { type: "button", id: editing ? "sf-save" : "sf-activate", text: editing ? "Save new version" : "Activate" });
  primary.addEventListener("click", function () { submit(primary, !editing); });
  const secondary = editing
    ? (signal.state === "active" ? null : h("button", { type: "button", id: "sf-save-activate", class: "secondary", text: "Save and activate" }))
    : h("button", { type: "button", id: "sf-save-draft", class: "secondary", text: "Save draft" });
  if (secondary) secondary.addEventListener("click", function () { submit(secondary, editing); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  const group = function (title, hint, body) { return h("fieldset", { class: "group" }, h("legend", { text: title }), hint ? h("p", { class: "hint", text: hint }) : null, body); };
  append(form, [
    tplSel ? group("Start from", "A template fills in a tested prompt, labels and judge; change anything.", field("Template", tplSel)) : null,
    group("Signal", null, h("div", { class: "row" },
      h("div", { class: "grow" }, field("Name", name), errs.slot("name", name)),
      h("div", { class: "grow" }, field("Agent", agent), agentList, errs.slot("agent", agent)),
      h("div", { class: "grow wide" }, field("Description", description), errs.slot("description", description)))),
    group("Scope", editing ? "The scope of a signal cannot change: create a new signal to label another scope." : "What one label is about.", [scopeBox, errs.slot("scope", null)]),
    group("Prompt", "The question the judge answers, in plain language.", [prompt, errs.slot("prompt", prompt)]),
    group("Output", null, [typeBox, labelsEditor]),
    group("Judge", null, [h("div", { class: "row" }, field("Judge", judge)), judgeHint, llmFields, noProvider, errs.slot("judge", judge), errs.slot("llm.provider", provider), errs.slot("llm.model", model)]),
    group("Sample rate", "Share of new traffic to label.", [h("div", { class: "row" }, field("Label", sample), customBox), errs.slot("sample_rate", sample)]),
    h("details", { class: "group", open: base.filter ? true : null }, h("summary", { text: "Filters (optional)" }),
      h("p", { class: "hint", text: "Only targets matching every filter given are labelled; names take * globs, commas separate several." }),
      h("div", { class: "row" }, field("Span names", fSpan), field("Models", fModel), field("Built-in signals present", fBuiltin), field("Min messages", fMin), field("Max messages", fMax)),
      errs.slot("filter", fSpan)),
    group("Test", "Classify the most recent targets of a window with this form as it is; nothing is stored.", [h("div", { class: "row" }, field("Window", testWin), field("Targets (1-100)", testN), testBtn), testOut]),
    formSlot,
    h("div", { class: "row form-actions" }, secondary, primary, h("a", { href: editing ? signalHref(signal.id) : "#/signals", text: "Cancel" })),
  ]);

  render([
    h("p", { class: "muted" }, h("a", { href: "#/signals", text: "Signals" }), editing ? [" / ", h("a", { href: signalHref(signal.id), text: signal.name })] : null, editing ? " / edit" : " / new"),
    h("h1", {}, editing ? "Edit " + signal.name : "New signal", editing ? h("span", { class: "muted", text: "version " + signal.version + " → " + (signal.version + 1) }) : null),
    card(editing ? "Definition" : "Define a signal", form),
  ], g);
}
ROUTES.new = function (rest, params) { return signalForm(null, params); };
ROUTES.edit = function (rest, params) { return signalForm(rest[0], params); };
`;
