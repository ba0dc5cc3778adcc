/**
 * The alert form (`#/alert/new?signal=ID`, `#/alert/ID`): every rule field (metric, value, comparison, threshold,
 * window 5 minutes to 48 hours, evaluation period, minimum labels, `for`, cooldown, delay, no data), notification
 * channels (webhook, Slack, email; a URL the outbound policy must allow or a variable the operator listed), a
 * backtest of the unsaved rule over stored labels, and for a saved alert its history (fired, resolved, paused,
 * resumed, deliveries) with pause and resume. A piece of the dashboard script (see ../client.ts): no backticks.
 */
export const ALERT_FORM_VIEW = String.raw`
// Transitions a backtest lists at a time in the form (a table longer than that is read a part at a time).
const BACKTEST_PART = 100;
const ALERT_WINDOWS = ["5m", "15m", "30m", "1h", "3h", "6h", "12h", "24h", "48h"];
const METRICS = {
  true_rate: "share of yes among labelled targets",
  value_share: "share of one label among labelled targets",
  value_count: "number of targets with one label",
  volume: "number of labelled targets",
};

// Where an error line of an alert rule belongs: a channel row, or the field its path names.
function alertErrorKey(line) {
  let m = /^channels\[(\d+)\]/.exec(line);
  if (m) return "channel-" + m[1];
  m = /^([a-z_]+)[\[.:]/.exec(line);
  if (m) return m[1];
  if (/alert named/i.test(line)) return "name";
  return null;
}

function historyEvent(e) {
  if (e.type === "delivery") return e.status === "sent" ? "Notified " + (e.channelType || e.channel) : (e.status === "pending" ? "Delivery pending (" : "Delivery failed (") + (e.channelType || e.channel) + ")";
  if (e.to === "paused") return "Paused";
  if (e.from === "paused") return "Resumed";
  if (e.to === "firing") return "Fired";
  if (e.from === "firing" && e.to === "ok") return "Resolved";
  if (e.to === "pending") return "Pending";
  return e.from + " → " + e.to;
}

async function alertForm(alertId, signalRef) {
  const g = generation;
  if (!can("alerts")) {
    render([h("h1", { text: "Alert" }), operatorsOnly("Alerts are", "alert-operator-only"),
      signalRef ? h("p", {}, h("a", { href: signalHref(signalRef), text: "Back to the signal" })) : null], g);
    return;
  }
  const existing = alertId ? (await api.get("/alerts")).find(function (a) { return a.id === alertId || a.name === alertId; }) : null;
  if (alertId && !existing) throw new Error("No alert " + alertId);
  const s = await api.get("/signals/" + enc(existing ? existing.signalId : signalRef || ""));
  const labels = labelsOf(s.definition);
  const binary = s.type === "binary";
  const rule = existing ? existing.rule : { name: s.name + "-high", metric: binary ? "true_rate" : "value_share", value: binary ? undefined : labels[0], comparison: "above", threshold: 0.3, window: "1h", every: "1m", for: "0s", cooldown: "1h", evaluation_delay: "0s", no_data: "ok", channels: [] };
  const formSlot = h("div", { id: "form-errors", role: "alert", hidden: true });
  const errs = formErrors(formSlot);

  const name = h("input", { id: "af-name", required: true, autocomplete: "off", spellcheck: "false", value: rule.name });
  const metric = select((binary ? ["true_rate"] : []).concat(["value_share", "value_count", "volume"]).map(function (m) { return [m, METRICS[m]]; }), rule.metric, { id: "af-metric" });
  const value = select(labels, rule.value || labels[0], { id: "af-value" });
  const valueField = h("div", {}, field("Label", value), errs.slot("value", value));
  const comparison = select([["above", "above"], ["below", "below"], ["change", "changes by more than (vs the window before)"]], rule.comparison, { id: "af-comparison" });
  const threshold = h("input", { id: "af-threshold", type: "number", step: "any", size: 7, required: true });
  const unit = h("span", { class: "hint", id: "af-unit" });
  const isShare = function () { return (metric.value === "true_rate" || metric.value === "value_share") && comparison.value !== "change"; };
  // Shares are entered as percentages, as is a change; counts as numbers.
  threshold.value = String(isShareOf(rule) ? Math.round(rule.threshold * 10000) / 100 : rule.threshold);
  function isShareOf(r) { return (r.metric === "true_rate" || r.metric === "value_share") && r.comparison !== "change"; }
  // A measured value as people read it: a share as a percent, a change with its sign, a count as it is.
  function alertValue(r, v) {
    if (v === null || v === undefined) return "";
    if (r.comparison === "change") return (v > 0 ? "+" : "") + num(v, 1) + "%";
    return isShareOf(r) ? pct(v) : num(v, 1);
  }
  const win = select(ALERT_WINDOWS, rule.window, { id: "af-window" });
  if (!ALERT_WINDOWS.includes(rule.window)) win.appendChild(h("option", { value: rule.window, text: rule.window, selected: true }));
  const every = select(["10s", "30s", "1m", "5m", "15m"].concat(["10s", "30s", "1m", "5m", "15m"].includes(rule.every) ? [] : [rule.every]), rule.every, { id: "af-every" });
  const minLabels = h("input", { id: "af-min", type: "number", min: 0, size: 5, value: rule.min_labels === undefined ? "" : rule.min_labels, placeholder: "1" });
  const forSel = select(["0s", "1m", "5m", "15m", "1h"].concat(["0s", "1m", "5m", "15m", "1h"].includes(rule.for) ? [] : [rule.for]), rule.for, { id: "af-for" });
  const cooldown = select(["0s", "5m", "15m", "1h", "6h", "24h"].concat(["0s", "5m", "15m", "1h", "6h", "24h"].includes(rule.cooldown) ? [] : [rule.cooldown]), rule.cooldown, { id: "af-cooldown" });
  const delay = select(["0s", "1m", "5m", "15m", "1h"].concat(["0s", "1m", "5m", "15m", "1h"].includes(rule.evaluation_delay) ? [] : [rule.evaluation_delay]), rule.evaluation_delay, { id: "af-delay" });
  const noData = select([["ok", "counts as ok"], ["keep_state", "keeps the state"], ["alert", "fires"]], rule.no_data, { id: "af-no-data" });
  const sync = function () {
    valueField.hidden = !(metric.value === "value_count" || metric.value === "value_share");
    unit.textContent = comparison.value === "change" ? "% (+50 = rose by half, -50 = fell by half)" : isShare() ? "% of labelled targets" : metric.value === "volume" ? "labelled targets" : "targets";
    minLabels.placeholder = metric.value === "volume" ? "0" : "1";
  };
  metric.addEventListener("change", sync);
  comparison.addEventListener("change", sync);
  sync();

  // Channels: where a notification goes. A URL is checked against the operator's outbound policy when saved;
  // a variable must be one the operator lists in SIGNALS_CHANNEL_VARS.
  const channelRows = h("div", { id: "af-channels" });
  const addChannel = h("button", { type: "button", class: "secondary", id: "af-add-channel", text: "Add channel" });
  const channelRow = function (c) {
    const i = channelRows.children.length;
    const type = select([["webhook", "Webhook (JSON, signed when a secret is set)"], ["slack", "Slack incoming webhook"], ["email", "Email (the service's SMTP server)"]], c.type || "webhook", { class: "ch-type", "aria-label": "Channel " + (i + 1) + " type" });
    const cname = h("input", { class: "ch-name", autocomplete: "off", value: c.name || "", placeholder: "optional", "aria-label": "Channel " + (i + 1) + " name" });
    const mode = select([["url", "URL"], ["url_env", "Operator variable"]], c.url_env ? "url_env" : "url", { class: "ch-mode", "aria-label": "Channel " + (i + 1) + " destination kind" });
    const dest = h("input", { class: "ch-dest", autocomplete: "off", spellcheck: "false", value: c.url_env || c.url || "", "aria-label": "Channel " + (i + 1) + " destination", size: 34 });
    const secret = h("input", { class: "ch-secret", autocomplete: "off", spellcheck: "false", value: c.secret_env || "", placeholder: "optional", "aria-label": "Channel " + (i + 1) + " signing secret variable" });
    const to = h("input", { class: "ch-to", autocomplete: "off", value: (c.to || []).join(", "), placeholder: "ops@example.com, oncall@example.com", "aria-label": "Channel " + (i + 1) + " recipients", size: 34 });
    const rm = h("button", { type: "button", class: "secondary", text: "Remove", "aria-label": "Remove channel " + (i + 1) });
    const destField = field("Destination", h("span", { class: "inline" }, mode, dest));
    const secretField = field("Signing secret variable", secret);
    const toField = field("To", to);
    const row = h("div", { class: "channel-row", "data-channel": i }, h("div", { class: "row" }, field("Type", type), field("Name", cname), destField, secretField, toField, rm), errs.slot("channel-" + i, dest));
    const syncRow = function () {
      const email = type.value === "email";
      destField.hidden = email;
      toField.hidden = !email;
      secretField.hidden = type.value !== "webhook";
      dest.placeholder = mode.value === "url" ? (type.value === "slack" ? "the Slack incoming webhook address" : "the receiver's https address") : "a variable name, e.g. SLACK_WEBHOOK_URL";
    };
    type.addEventListener("change", syncRow);
    mode.addEventListener("change", syncRow);
    rm.addEventListener("click", function () { row.remove(); });
    syncRow();
    channelRows.appendChild(row);
    return type;
  };
  (rule.channels || []).forEach(channelRow);
  addChannel.addEventListener("click", function () { channelRow({}).focus(); });
  const readChannels = function () {
    return Array.prototype.map.call(channelRows.children, function (row) {
      const t = row.querySelector(".ch-type").value;
      const c = { type: t };
      const n = row.querySelector(".ch-name").value.trim();
      if (n) c.name = n;
      if (t === "email") c.to = row.querySelector(".ch-to").value.split(",").map(function (x) { return x.trim(); }).filter(Boolean);
      else {
        c[row.querySelector(".ch-mode").value] = row.querySelector(".ch-dest").value.trim();
        const sec = row.querySelector(".ch-secret").value.trim();
        if (t === "webhook" && sec) c.secret_env = sec;
      }
      return c;
    });
  };

  const build = function () {
    const r = { name: name.value.trim(), signal: s.name, metric: metric.value, comparison: comparison.value, window: win.value, every: every.value, for: forSel.value, cooldown: cooldown.value, evaluation_delay: delay.value, no_data: noData.value, channels: readChannels() };
    const t = threshold.value === "" ? NaN : Number(threshold.value);
    r.threshold = isShare() ? t / 100 : t;
    if (!valueField.hidden) r.value = value.value;
    if (minLabels.value !== "") r.min_labels = Number(minLabels.value);
    return r;
  };

  // Backtest of the rule as the form has it, over the signal's stored labels.
  const btWin = select([["24h", "Last 24 hours"], ["48h", "Last 48 hours"], ["7d", "Last 7 days"]], "48h", { id: "af-backtest-window" });
  const btBtn = h("button", { type: "button", class: "secondary", id: "af-backtest", text: "Backtest" });
  const btOut = h("div", { id: "af-backtest-result", "aria-live": "polite" });
  btBtn.addEventListener("click", function () {
    errs.clear();
    guarded(btBtn, async function () {
      try {
        const backtestRule = build();
        const r = await api.post("/alerts/backtest", { rule: backtestRule, since: btWin.value, until: new Date().toISOString(), limit: BACKTEST_PART });
        const row = function (t) {
          return h("tr", {}, h("td", { text: time(t.at) }), h("td", {}, badge(t.from)), h("td", {}, badge(t.to)), h("td", { text: t.value === null ? "no data" : alertValue(backtestRule, t.value) }), h("td", { class: "expl", text: t.reason || "" }));
        };
        const list = table(["Time", "From", "To", "Value", "Why"], r.transitions.map(row), { class: "stackable", id: "af-backtest-transitions" });
        // The answer lists a part of the transitions: Load more asks the same replay (the rule and the window's times
        // as answered, not "48h" again) for the part after it.
        const listed = h("p", { class: "hint", id: "af-backtest-listed" });
        const more = h("button", { type: "button", class: "secondary", id: "af-backtest-more", text: "Load more" });
        let shown = r.transitions.length;
        let cursor = r.nextCursor;
        const sayListed = function () {
          listed.textContent = shown + " of " + r.transitionsTotal + " transitions listed" + (cursor === null ? "." : "; Load more lists the next ones.");
          listed.hidden = cursor === null;
          more.hidden = cursor === null;
        };
        more.addEventListener("click", function () {
          guarded(more, async function () {
            const next = await api.post("/alerts/backtest", { rule: backtestRule, since: r.since, until: r.until, cursor: cursor, limit: BACKTEST_PART });
            next.transitions.forEach(function (t) { list.querySelector("tbody").appendChild(row(t)); });
            shown += next.transitions.length;
            cursor = next.nextCursor;
            sayListed();
          });
        });
        sayListed();
        btOut.replaceChildren(r.chart ? h("div", { class: "chart", id: "af-backtest-chart" }, svgNode(r.chart)) : null,
          h("p", { class: "hint", id: "af-backtest-summary", text: r.evaluations + " evaluations, " + r.transitionsTotal + " transitions, " + r.notificationsTotal + " notifications would have been sent" }),
          r.transitionsTotal > 0 ? list : null, listed, more);
      } catch (err) { btOut.replaceChildren(); errs.show(err, alertErrorKey); }
    });
  });

  const save = h("button", { type: "button", id: "af-save", text: existing ? "Save changes" : "Create alert" });
  save.addEventListener("click", function () {
    errs.clear();
    guarded(save, async function () {
      try {
        if (existing) {
          const patch = build();
          delete patch.signal;
          if (patch.value === undefined) patch.value = null;
          if (patch.min_labels === undefined) patch.min_labels = null;
          const r = await api.patch("/alerts/" + enc(existing.id), patch);
          notice(r.changes.length ? "Saved " + r.alert.name + ": " + r.changes.join("; ") : "Nothing changed");
          go("#/alert/" + enc(existing.id));
        } else {
          const a = await api.post("/alerts", build());
          notice("Alert " + a.name + " created: it is evaluated every " + (a.rule.every || "1m"));
          go("#/alert/" + enc(a.id));
        }
      } catch (err) { errs.show(err, alertErrorKey); }
    });
  });

  // History of a saved alert: transitions (fired, resolved, paused, resumed) and each notification's delivery to a
  // channel (its attempts, last reason and, while pending, the next try).
  let historyCard = null;
  if (existing) {
    const items = await api.get("/alerts/" + enc(existing.id) + "/history");
    historyCard = card("History", items.length === 0 ? h("p", { class: "hint", text: "Nothing yet: the alert has not changed state." }) :
      table(["Time", "Event", "Value", "Detail"], items.map(function (e) {
        const detail = e.type === "delivery" ? e.channel + " · " + e.attempts + (e.attempts === 1 ? " attempt" : " attempts") + (e.error ? " · " + e.error : e.httpStatus ? " · HTTP " + e.httpStatus : "") + (e.status === "pending" && e.nextAttemptAt ? " · next try " + time(e.nextAttemptAt) : "") : (e.reason || "");
        return h("tr", { "data-event": historyEvent(e) }, h("td", { text: time(e.at) }), h("td", { class: "event", text: historyEvent(e) }), h("td", { text: alertValue(existing.rule, e.value) }), h("td", { class: "expl", text: detail }));
      }), { id: "af-history", class: "stackable history" }));
  }
  let pauseBtn = null;
  if (existing) {
    const paused = existing.state === "paused";
    pauseBtn = h("button", { type: "button", class: "secondary", id: "af-pause", text: paused ? "Resume" : "Pause" });
    pauseBtn.addEventListener("click", function () { guarded(pauseBtn, async function () { await api.post("/alerts/" + enc(existing.id) + (paused ? "/resume" : "/pause")); notice(existing.name + (paused ? " resumed: evaluated again at its next evaluation (every " + existing.rule.every + ")" : " paused: no evaluations or notifications until resumed")); go("#/alert/" + enc(existing.id)); }); });
  }

  const group = function (title, hint, body) { return h("fieldset", { class: "group" }, h("legend", { text: title }), hint ? h("p", { class: "hint", text: hint }) : null, body); };
  const form = h("form", { id: "alert-form", novalidate: true },
    group("Alert", null, h("div", { class: "row" }, h("div", { class: "grow" }, field("Name", name), errs.slot("name", name)))),
    group("Condition", "Evaluated every period over the labels of the window before it.", [
      h("div", { class: "row" }, h("div", {}, field("Metric", metric), errs.slot("metric", metric)), valueField),
      h("div", { class: "row" }, h("div", {}, field("Comparison", comparison), errs.slot("comparison", comparison)), h("div", {}, field("Threshold", h("span", { class: "inline" }, threshold, unit)), errs.slot("threshold", threshold))),
      h("div", { class: "row" },
        h("div", {}, field("Window", win), errs.slot("window", win)),
        h("div", {}, field("Evaluate every", every), errs.slot("every", every)),
        h("div", {}, field("Minimum labels", minLabels), errs.slot("min_labels", minLabels)),
        h("div", {}, field("For (holds this long)", forSel), errs.slot("for", forSel)),
        h("div", {}, field("Cooldown (between reminders)", cooldown), errs.slot("cooldown", cooldown)),
        h("div", {}, field("Evaluation delay", delay), errs.slot("evaluation_delay", delay)),
        h("div", {}, field("No data", noData), errs.slot("no_data", noData))),
    ]),
    group("Notify", "Each notification links to this signal's page in the dashboard (SIGNALS_DASHBOARD_URL). URLs must be https unless the operator allows the host (SIGNALS_OUTBOUND_ALLOW); variables must be listed in SIGNALS_CHANNEL_VARS.", [channelRows, h("div", { class: "row" }, addChannel)]),
    group("Backtest", "Replay the rule above over the stored labels: what would have fired.", [h("div", { class: "row" }, field("Window", btWin), btBtn), btOut]),
    formSlot,
    h("div", { class: "row form-actions" }, save, h("a", { href: signalHref(s.id), text: "Cancel" })));
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  render([
    h("p", { class: "muted" }, h("a", { href: "#/signals", text: "Signals" }), " / ", h("a", { href: signalHref(s.id), text: s.name }), " / " + (existing ? existing.name : "new alert")),
    h("h1", {}, existing ? existing.name : "New alert on " + s.name, existing ? badge(existing.state) : null, pauseBtn),
    existing && existing.lastEvaluatedAt ? h("p", { class: "hint", id: "af-status", text: "Last evaluated " + time(existing.lastEvaluatedAt) + " UTC" + (existing.lastValue === null ? ", no data" : ", value " + alertValue(existing.rule, existing.lastValue)) + (existing.stateSince ? "; " + existing.state + " since " + time(existing.stateSince) : "") }) : null,
    card(existing ? "Rule" : "Define the alert", form),
    historyCard,
  ], g);
}
ROUTES.alert = function (rest, params) { return alertForm(rest[0] === "new" ? null : rest[0], params.get("signal")); };
`;
