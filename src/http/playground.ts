import { DASHBOARD_NAV_ELSEWHERE } from './dashboard/page.js';

/**
 * The playground page served at `GET /playground`: paste a conversation in any supported format, analyze it through
 * `POST /v1/analyze?include=messages`, and see the bucket, summary, signals and flagged messages. One static
 * string (inline CSS and JS, no build step, no external requests) so it ships inside the Worker bundle.
 * The script avoids backticks and template placeholders because this file is itself a template literal.
 */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agent-signals playground</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  :root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #677083; --line: #dde1e8; --accent: #3056d3;
          --good: #1f8a4c; --neutral: #6b7280; --poor: #c76a00; --severe: #c62828; --excellent: #1565c0; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--ink); }
  header { padding: 14px 24px; background: var(--ink); color: #fff; display: flex; align-items: baseline; gap: 14px; }
  header h1 { font-size: 18px; margin: 0; }
  header { flex-wrap: wrap; align-items: center; }
  header a { color: #fff; text-decoration: none; }
  header nav { display: flex; gap: 4px; flex-wrap: wrap; }
  header nav a { padding: 6px 10px; border-radius: 6px; font-size: 15px; }
  header nav a[aria-current="page"] { background: #3a4356; }
  header nav a:hover { background: #2c3446; }
  header span { color: #b8c0d0; font-size: 13px; }
  main { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(360px, 1.3fr); gap: 18px; padding: 18px 24px; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
  section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; min-width: 0; }
  /* The input stays in view while the report (which can be long) scrolls. */
  main > section:first-child { position: sticky; top: 12px; align-self: start; }
  @media (max-width: 900px) { main > section:first-child { position: static; } }
  h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 10px; }
  textarea { width: 100%; min-height: 420px; font: 12.5px/1.4 ui-monospace, Menlo, Consolas, monospace; padding: 10px;
             border: 1px solid var(--line); border-radius: 6px; resize: vertical; }
  .row { display: flex; gap: 10px; align-items: center; margin-top: 10px; flex-wrap: wrap; }
  input, select { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
  input { flex: 1; min-width: 140px; }
  button { font: inherit; padding: 7px 16px; border-radius: 6px; border: 1px solid var(--accent); cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; }
  button.secondary { background: #fff; color: var(--accent); }
  .bucket { display: inline-block; padding: 4px 14px; border-radius: 999px; color: #fff; font-weight: 600; font-size: 16px; }
  .bucket.good { background: var(--good); } .bucket.neutral { background: var(--neutral); } .bucket.poor { background: var(--poor); }
  .bucket.severe { background: var(--severe); } .bucket.excellent { background: var(--excellent); }
  .summary { color: var(--muted); margin: 10px 0 14px; font-size: 13.5px; }
  .groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px; margin-bottom: 14px; }
  .group { border: 1px solid var(--line); border-radius: 6px; padding: 6px 9px; font-size: 13px; }
  .group b { display: block; font-size: 18px; }
  .group.sev1 { border-color: #e0b400; } .group.sev2 { border-color: var(--poor); } .group.sev3 { border-color: var(--severe); }
  table { width: 100%; border-collapse: collapse; font-size: 13px; margin-bottom: 14px; }
  th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--muted); font-weight: 600; }
  td.snippet { font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-word; }
  .msgs { display: flex; flex-direction: column; gap: 6px; }
  .msg { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 6px 10px; font-size: 13px; }
  .msg.flagged { border-left-color: var(--severe); background: #fff5f5; }
  .msg:target { outline: 2px solid var(--accent); }
  a { color: var(--accent); }
  .msg .who { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
  .msg .text { white-space: pre-wrap; word-break: break-word; max-height: 9em; overflow: auto; }
  .tag { display: inline-block; background: #fde8e8; color: var(--severe); border-radius: 4px; padding: 0 6px; margin: 2px 4px 0 0; font-size: 11.5px; }
  .error { color: var(--severe); font-weight: 600; }
  .hint { color: var(--muted); font-size: 13px; }
</style>
</head>
<body>
<header><h1><a href="/#/sessions">agent-signals</a></h1>${DASHBOARD_NAV_ELSEWHERE}<span>playground: model-free quality signals for one conversation</span></header>
<main>
  <section>
    <h2>Conversation</h2>
    <textarea id="input" spellcheck="false" placeholder="Paste one conversation: ShareGPT, OpenAI chat, Responses, Anthropic, tau or an OTLP/JSON export"></textarea>
    <div class="row">
      <select id="format" aria-label="format">
        <option value="">auto-detect format</option>
        <option>sharegpt</option><option>openai</option><option>responses</option>
        <option>anthropic</option><option>otlp</option><option>tau</option>
      </select>
      <input id="token" type="password" placeholder="API token (if the server needs one)" autocomplete="off">
    </div>
    <div class="row">
      <button id="analyze" class="primary">Analyze</button>
      <button id="example" class="secondary">Load example</button>
    </div>
  </section>
  <section id="result" aria-live="polite">
    <h2>Report</h2>
    <p class="hint">Paste a conversation and press Analyze.</p>
  </section>
</main>
<script>
(function () {
  var EXAMPLE = {"id":"demo-1","messages":[
    {"from":"human","value":"Book me a table for two at Luigi's tonight at 8"},
    {"from":"gpt","value":"Let me check availability."},
    {"from":"function_call","value":"{\\"name\\":\\"search_restaurants\\",\\"arguments\\":{\\"name\\":\\"Luigi's\\",\\"time\\":\\"20:00\\"}}"},
    {"from":"observation","value":"Error 503 Service Unavailable: upstream reservation backend is down, try again later"},
    {"from":"gpt","value":"Sorry, the reservation system is unavailable right now."},
    {"from":"human","value":"No, I meant Luigi's on 5th street, not the other one"},
    {"from":"gpt","value":"Understood. Unfortunately the reservation service is still unavailable."},
    {"from":"human","value":"This is useless. Get me a human!!"}]};
  var GROUPS = [["interaction_signals","misalignment"],["interaction_signals","stagnation"],["interaction_signals","disengagement"],
    ["interaction_signals","satisfaction"],["execution_signals","failure"],["execution_signals","loops"],["environment_signals","exhaustion"]];
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function allSignals(report) {
    var list = [];
    GROUPS.forEach(function (g) { report[g[0]][g[1]].signals.forEach(function (s) { list.push(s); }); });
    return list;
  }

  function render(body) {
    var out = $("result");
    out.replaceChildren(el("h2", "", "Report"));
    var report = body.report;
    var bucket = el("span", "bucket " + report.overall_quality, report.overall_quality);
    bucket.id = "bucket";
    out.appendChild(bucket);
    var summary = el("p", "summary", report.summary);
    summary.id = "summary";
    out.appendChild(summary);

    var groups = el("div", "groups");
    GROUPS.forEach(function (g) {
      var group = report[g[0]][g[1]];
      var box = el("div", "group sev" + group.severity);
      box.appendChild(el("b", "", String(group.count)));
      box.appendChild(document.createTextNode(g[1] + (group.severity ? " · sev " + group.severity : "")));
      groups.appendChild(box);
    });
    out.appendChild(groups);

    var signals = allSignals(report);
    var byIndex = {};
    if (signals.length === 0) {
      out.appendChild(el("p", "hint", "No signals."));
    } else {
      var table = el("table");
      table.id = "signals";
      var head = el("tr");
      ["signal", "msg", "snippet", "conf"].forEach(function (h) { head.appendChild(el("th", "", h)); });
      table.appendChild(head);
      signals.forEach(function (s) {
        var tr = el("tr");
        tr.appendChild(el("td", "", s.signal_type));
        var cell = el("td");
        var link = el("a", "", "#" + s.message_index);
        link.href = "#msg-" + s.message_index;
        cell.appendChild(link);
        tr.appendChild(cell);
        tr.appendChild(el("td", "snippet", s.snippet));
        tr.appendChild(el("td", "", Number(s.confidence).toFixed(2)));
        table.appendChild(tr);
        (byIndex[s.message_index] = byIndex[s.message_index] || []).push(s.signal_type.split(".").pop());
      });
      out.appendChild(table);
    }

    var messages = body.messages || [];
    if (messages.length > 0) {
      out.appendChild(el("h2", "", "Messages"));
      var list = el("div", "msgs");
      messages.forEach(function (m, i) {
        var flagged = byIndex[i] !== undefined;
        var box = el("div", "msg" + (flagged ? " flagged" : ""));
        box.id = "msg-" + i;
        box.dataset.index = String(i);
        box.appendChild(el("div", "who", "#" + i + " " + m.from));
        box.appendChild(el("div", "text", m.value));
        (byIndex[i] || []).forEach(function (t) { box.appendChild(el("span", "tag", t)); });
        list.appendChild(box);
      });
      out.appendChild(list);
    }
  }

  function showError(message) {
    var out = $("result");
    out.replaceChildren(el("h2", "", "Report"));
    var p = el("p", "error", message);
    p.id = "error";
    out.appendChild(p);
  }

  async function analyze() {
    var text = $("input").value;
    var headers = { "content-type": "application/json" };
    if ($("token").value) headers.authorization = "Bearer " + $("token").value;
    var url = "/v1/analyze?include=messages" + ($("format").value ? "&format=" + encodeURIComponent($("format").value) : "");
    try {
      var res = await fetch(url, { method: "POST", headers: headers, body: text });
      var body = await res.json();
      if (!res.ok) return showError(res.status + " " + body.error.code + ": " + body.error.message);
      render(body);
    } catch (err) {
      showError("Request failed: " + err.message);
    }
  }

  $("analyze").addEventListener("click", analyze);
  $("example").addEventListener("click", function () { $("input").value = JSON.stringify(EXAMPLE, null, 2); });
})();
</script>
</body>
</html>
`;
