import { FIXED_COLOURS, PALETTE } from './colours.js';
import { VIEWS } from './views/index.js';
import { CONFUSABLE_SCRIPTS, NAME_ESCAPES, NAME_ESCAPES_NOT_NFC } from '../../formats/agent-name.js';

/**
 * The dashboard's script (served at /dashboard/app.js as a module): the kit every view uses and the hash router;
 * the views (`#/signals`, `#/signal/ID`, `#/target/KIND/ID`, `#/agents`, …) are in ./views/, each drawn from the
 * REST API with the bearer token kept in localStorage.
 * Plain DOM code, no framework and no build step; text goes in through textContent only (the one exception is
 * the SVG the server draws, parsed as SVG). Written without backticks because it is itself a template literal.
 */
const BODY = String.raw`
const TOKEN_KEY = "agent-signals-token";
const GROUPS = [["interaction_signals","misalignment"],["interaction_signals","stagnation"],["interaction_signals","disengagement"],
  ["interaction_signals","satisfaction"],["execution_signals","failure"],["execution_signals","loops"],["environment_signals","exhaustion"]];
const WINDOWS = [["6h", "15m", "Last 6 hours"], ["24h", "1h", "Last 24 hours"], ["7d", "6h", "Last 7 days"], ["30d", "1d", "Last 30 days"]];
const view = document.getElementById("view");
// Hash routes: #/NAME/... calls ROUTES[NAME](the rest of the path, the query); each view file registers its own.
const ROUTES = Object.create(null);
let generation = 0;

function h(tag, attrs) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = String(v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
  return node;
}
function append(node, child) {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
  else node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
}

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }
async function request(method, path, body, accept) {
  const headers = { accept: accept || "application/json", "x-signals-client": "dashboard" };
  if (token()) headers.authorization = "Bearer " + token();
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch("/v1" + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let message = "HTTP " + res.status;
    let details = [];
    try {
      const e = (await res.json()).error;
      details = e.details || [];
      message = e.message + (details.length ? " (" + details.join("; ") + ")" : "");
    } catch (err) { /* not a JSON error body */ }
    if (res.status === 401) message += ": set the API token at the top of the page";
    // Forms place each "path: message" line of details next to the field it names.
    const error = new Error(message);
    error.status = res.status;
    error.details = details;
    throw error;
  }
  return accept ? res.text() : res.json();
}
const api = {
  get: function (p) { return request("GET", p); },
  post: function (p, b) { return request("POST", p, b === undefined ? {} : b); },
  patch: function (p, b) { return request("PATCH", p, b); },
  svg: function (p) { return request("GET", p, undefined, "image/svg+xml"); },
};
const enc = encodeURIComponent;
function qs(o) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== "") p.set(k, v);
  const s = p.toString();
  return s ? "?" + s : "";
}

let noticeAt = 0;
function notice(message, isError) {
  const n = document.getElementById("notice");
  noticeAt = message ? Date.now() : 0;
  n.className = isError ? "error" : "";
  n.textContent = message || "";
}
function fail(err) { notice(err.message || String(err), true); }
async function guarded(button, work) {
  button.disabled = true;
  try { await work(); } catch (err) { fail(err); } finally { button.disabled = false; }
}

function colour(value, labels) {
  if (FIXED_COLOURS[value]) return FIXED_COLOURS[value];
  const i = labels.indexOf(value);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  let x = 0;
  for (let k = 0; k < value.length; k++) x = (x * 31 + value.charCodeAt(k)) >>> 0;
  return PALETTE[x % PALETTE.length];
}
function inkOn(hex) {
  const n = parseInt(hex.slice(1), 16);
  const lum = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return lum > 0.6 ? "#1d2330" : "#fff";
}
function chip(value, labels) {
  const c = colour(value, labels || []);
  const node = h("span", { class: "chip", text: value, "data-value": value });
  node.style.background = c;
  node.style.color = inkOn(c);
  return node;
}
function labelsOf(def) { return def.type === "binary" ? ["yes", "no"] : (def.labels || []).map(function (l) { return l.name; }); }
function orderedKeys(counts, labels) {
  const keys = Object.keys(counts);
  return labels.filter(function (l) { return keys.includes(l); }).concat(keys.filter(function (k) { return !labels.includes(k); }).sort());
}
function distBar(counts, labels) {
  const keys = orderedKeys(counts, labels);
  const total = keys.reduce(function (n, k) { return n + counts[k]; }, 0);
  const bar = h("div", { class: "dist", role: "img", "aria-label": total === 0 ? "no labels in the last 24 hours" : keys.map(function (k) { return k + " " + counts[k]; }).join(", ") });
  keys.forEach(function (k) {
    const part = h("span", { title: k + ": " + counts[k] });
    part.style.width = (100 * counts[k] / total) + "%";
    part.style.background = colour(k, labels);
    bar.appendChild(part);
  });
  const legend = h("div", { class: "legend" }, keys.map(function (k) {
    const dot = h("i");
    dot.style.background = colour(k, labels);
    return h("span", {}, dot, k + " " + counts[k]);
  }));
  return h("div", {}, bar, total === 0 ? h("div", { class: "legend", text: "no labels" }) : legend);
}
function time(v) {
  if (v === null || v === undefined) return "";
  const d = typeof v === "number" ? new Date(v) : new Date(String(v));
  return isNaN(d.getTime()) ? String(v) : d.toISOString().slice(0, 16).replace("T", " ");
}
function badge(state) { return h("span", { class: "badge " + state, text: state }); }
function card(title) {
  const rest = Array.prototype.slice.call(arguments, 1);
  return h("section", { class: "card", "aria-label": title }, h("h2", { text: title }), rest);
}
function field(label, control) { return h("label", { class: "field" }, label, control); }
function select(options, value, attrs) {
  const s = h("select", attrs || {});
  options.forEach(function (o) {
    const pair = Array.isArray(o) ? o : [o, o];
    s.appendChild(h("option", { value: pair[0], text: pair[1], selected: pair[0] === value }));
  });
  return s;
}
function table(headers, rows, attrs) {
  return h("div", { class: "table-wrap" }, h("table", attrs || {},
    h("thead", {}, h("tr", {}, headers.map(function (x) { return h("th", { text: x, class: /^(Labelled|Version|Sessions|Traces|Spans|Done)$/.test(x) ? "num" : null, scope: "col" }); }))),
    h("tbody", {}, rows)));
}
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") throw new Error("The chart could not be read");
  return document.importNode(root, true);
}
// Who the saved token is and what it may do (GET /v1/whoami), asked again when the token changes: the views offer
// only those actions (a key scoped to one agent reads and reviews; the rest is the operator's). Unknown (no answer:
// no token yet, an older server) offers everything, and the server still refuses what it refuses.
let me = null;
let meToken = null;
async function whoami() {
  if (meToken === token()) return me;
  const asked = token();
  const answer = await api.get("/whoami").catch(function () { return null; });
  if (asked === token()) { me = answer; meToken = answer ? asked : null; }
  return answer;
}
function can(action) { return !me || !me.can || me.can[action] !== false; }
// In place of what the key may not do: a line saying whose it is.
function operatorsOnly(what, id) {
  return h("p", { class: "hint operator-only", id: id, text: what + " the operator's. This key opens agent " + visibleName(me && me.agent) + " only: its traffic, its signals and their review." });
}
function showCaller() {
  const box = document.getElementById("caller");
  const scoped = Boolean(me && me.role === "agent");
  box.hidden = !scoped;
  box.textContent = scoped ? "Key of agent " + visibleName(me.agent) : "";
  box.title = scoped ? me.note || "" : "";
  document.querySelectorAll("nav a[data-needs]").forEach(function (a) { a.hidden = !can(a.getAttribute("data-needs")); });
}
// An agent's name as shown (src/formats/agent-name.ts visibleName): what nobody sees in it (a zero-width or bidi
// character, odd white space, the marks of a name not in NFC form), the compatibility characters of a name not in
// NFKC form (\uff53hop), and the letters of every script but the main one of a name mixing scripts drawn alike
// (p\u0430ypal), written as escapes, so look-alikes look different.
const SCRIPT_LETTERS = CONFUSABLE_SCRIPTS.map(function (script) { return { script: script, letters: new RegExp("\\p{Script=" + script + "}", "gu") }; });
function visibleName(name) {
  const s = String(name);
  const escapes = s === s.normalize("NFC") ? NAME_ESCAPES : NAME_ESCAPES_NOT_NFC;
  // The scripts of its letters, most letters first, on a tie the one the name uses first (confusableScripts).
  const scripts = SCRIPT_LETTERS.map(function (x) {
    return { script: x.script, count: (s.match(x.letters) || []).length, first: s.search(x.letters) };
  }).filter(function (x) { return x.count > 0; }).sort(function (a, b) { return b.count - a.count || a.first - b.first; });
  // Beyond ASCII, captured: marked when NFKC changes it alone (lookAlikeSource).
  const lookAlikes = scripts.slice(1).map(function (x) { return "\\p{Script=" + x.script + "}"; }).concat(s === s.normalize("NFKC") ? [] : ["([^\\x00-\\x7f])"]);
  return s.replace(lookAlikes.length ? new RegExp([escapes.source].concat(lookAlikes).join("|"), "gu") : escapes, function (c, foldable) {
    if (typeof foldable === "string" && foldable.normalize("NFKC") === foldable) return c;
    const code = c.codePointAt(0);
    return code <= 0xff ? "\\x" + code.toString(16).padStart(2, "0") : code <= 0xffff ? "\\u" + code.toString(16).padStart(4, "0") : "\\u{" + code.toString(16) + "}";
  });
}
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }
function signalHref(id) { return "#/signal/" + enc(id); }
// A session, trace or span: its own view (the explorer's), with the agent that owns the id.
function targetHref(kind, id, agent) { return "#/" + kind + "/" + enc(id) + (agent ? "?agent=" + enc(agent) : ""); }
// A view draws only while its route is current: g is the route generation it started under (read before its first
// await). A slow view whose reader went elsewhere stops here, before it draws over the newer one.
const STALE_VIEW = new Error("This view was left before it was drawn");
function render(nodes, g) {
  if (g === undefined) throw new Error("render(nodes, g): the view's route generation is missing");
  if (g !== generation) throw STALE_VIEW;
  view.replaceChildren();
  append(view, nodes);
}

const NEXT_STATES = { draft: ["active", "archived"], active: ["disabled", "archived"], disabled: ["active", "archived"], archived: ["disabled"] };
const STATE_VERB = { active: "Activate", disabled: "Disable", archived: "Archive" };
function stateButtons(signal, after) {
  if (!can("change_signals")) return null;
  return h("div", { class: "actions" }, NEXT_STATES[signal.state].map(function (to) {
    const verb = signal.state === "archived" ? "Restore" : STATE_VERB[to];
    const b = h("button", { type: "button", class: to === "archived" ? "danger" : to === "active" ? "" : "secondary", text: verb, "aria-label": verb + " " + signal.name, "data-state": to });
    b.addEventListener("click", function () {
      guarded(b, async function () {
        const s = await api.post("/signals/" + enc(signal.id) + "/state", { state: to });
        notice(s.name + " is " + s.state);
        after();
      });
    });
    return b;
  }));
}

// ---- Numbers, times and labels for people ---------------------------------------------------------------------
function num(v, digits) {
  if (v === null || v === undefined || v === "") return "–";
  const n = Number(v);
  if (!isFinite(n)) return String(v);
  const f = Math.pow(10, digits === undefined ? 2 : digits);
  return (Math.round(n * f) / f).toLocaleString("en-US");
}
function pct(share) { return share === null || share === undefined ? "–" : num(share * 100, 1) + "%"; }
function duration(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return "–";
  if (ms < 1000) return Math.round(ms) + " ms";
  if (ms < 60000) return num(ms / 1000, ms < 10000 ? 1 : 0) + " s";
  if (ms < 3600000) return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
  return Math.floor(ms / 3600000) + " h " + Math.round((ms % 3600000) / 60000) + " min";
}
function ago(ms) {
  if (ms < 1500) return "just now";
  if (ms < 60000) return Math.round(ms / 1000) + " s ago";
  if (ms < 3600000) return Math.round(ms / 60000) + " min ago";
  return Math.round(ms / 3600000) + " h ago";
}
function clock(v) { const d = new Date(v); return isNaN(d.getTime()) ? "" : d.toISOString().slice(11, 19) + " UTC"; }
// A due time: "in 25 min (14:32:05 UTC)", or "now" once passed.
function due(v) {
  const ms = new Date(v).getTime() - Date.now();
  if (!isFinite(ms)) return "";
  return ms <= 1000 ? "now" : "in " + duration(ms).replace(/ \d+ s$/, "") + " (" + clock(v) + ")";
}
// The built-in families that are good news: never drawn as failures.
function positiveType(type) { return /(^|\.)satisfaction(\.|$)/.test(type); }
function builtinTag(type, title) { return h("span", { class: "tag" + (positiveType(type) ? " good" : ""), text: type, title: title }); }

// Signals with their label names (in definition order), for one colour per label value on every view.
const signalInfo = Object.create(null);
async function loadSignalInfo() {
  const list = await api.get("/signals?includeArchived=true");
  await Promise.all(list.map(async function (s) {
    const known = signalInfo[s.id];
    if (known && known.version === s.version) return;
    const d = await api.get("/signals/" + enc(s.id));
    signalInfo[s.id] = { id: s.id, name: s.name, version: s.version, scope: s.scope, agent: s.agent, state: s.state, labels: labelsOf(d.definition) };
  }));
  return list.map(function (s) { return signalInfo[s.id]; }).filter(Boolean);
}
// A custom label: the signal's name and its value in the value's colour (the status when there is no value).
function labelChip(l) {
  const info = signalInfo[l.signalId];
  const value = l.value === null || l.value === undefined ? l.status : l.value;
  return h("span", { class: "lchip", "data-signal": l.signal || (info && info.name) || l.signalId, title: "v" + l.version },
    h("span", { class: "lname", text: l.signal || (info && info.name) || l.signalId }), chip(value, info ? info.labels : []));
}

// ---- Live views ----------------------------------------------------------------------------------------------
const LIVE_MS = 5000;
const PAUSE_KEY = "agent-signals-paused";
// The "updated Ns ago · Pause" bar: refresh() redraws the view in place every LIVE_MS while the view is open,
// the tab visible and the reader has not paused (the pause is kept across views).
function liveBar(refresh) {
  const g = generation;
  let at = Date.now();
  let busy = false;
  let failed = "";
  const label = h("span", { id: "live-updated" });
  const btn = h("button", { type: "button", class: "secondary small", id: "live-pause" });
  const paused = function () { return localStorage.getItem(PAUSE_KEY) === "1"; };
  const show = function () {
    label.textContent = (paused() ? "Paused · updated " : "Live · updated ") + ago(Date.now() - at) + (failed ? " · update failed: " + failed : "");
    btn.textContent = paused() ? "Resume" : "Pause";
    btn.setAttribute("aria-pressed", paused() ? "true" : "false");
    bar.classList.toggle("paused", paused());
  };
  const tick = async function () {
    if (busy || paused() || g !== generation || document.hidden) return;
    busy = true;
    try { await keepPlace(refresh); at = Date.now(); failed = ""; }
    catch (err) { failed = err.message || String(err); }
    finally { busy = false; if (g === generation) show(); }
  };
  btn.addEventListener("click", function () {
    paused() ? localStorage.removeItem(PAUSE_KEY) : localStorage.setItem(PAUSE_KEY, "1");
    show();
    if (!paused()) tick();
  });
  const bar = h("div", { class: "live", id: "live", role: "status" }, h("i", { class: "dot", "aria-hidden": "true" }), label, btn);
  const timer = setInterval(function () {
    if (g !== generation) { clearInterval(timer); return; }
    show();
    if (Date.now() - at >= LIVE_MS) tick();
  }, 1000);
  show();
  return bar;
}
// The first keyed element on screen stays where it was when rows come in above it.
async function keepPlace(update) {
  let anchor = null;
  let top = 0;
  for (const node of view.querySelectorAll("[data-key]")) {
    const box = node.getBoundingClientRect();
    if (box.bottom > 0) { anchor = node.getAttribute("data-key"); top = box.top; break; }
  }
  await update();
  if (anchor === null || window.scrollY === 0) return;
  const again = view.querySelector('[data-key="' + CSS.escape(anchor) + '"]');
  if (again) window.scrollBy(0, again.getBoundingClientRect().top - top);
}
// Children of parent become nodes; a node whose key and content did not change stays (focus and selection kept).
function syncChildren(parent, nodes) {
  const old = new Map();
  for (const c of parent.children) if (c.dataset.key) old.set(c.dataset.key, c);
  const next = nodes.map(function (n) {
    const o = n.dataset.key ? old.get(n.dataset.key) : undefined;
    return o && o._sig !== undefined && o._sig === n._sig ? o : n;
  });
  next.forEach(function (n, i) { if (parent.children[i] !== n) parent.insertBefore(n, parent.children[i] || null); });
  while (parent.children.length > next.length) parent.lastElementChild.remove();
}

// The work the service is still waiting to do (GET /v1/pending), for an agent or all.
function pendingLine(agent) {
  const box = h("div", { class: "pending", id: "pending", "aria-live": "polite" });
  const draw = async function () {
    // A key scoped to one agent does not see the pending work of every signal (the operator's): no line at all.
    const p = can("pending") ? await api.get("/pending").catch(function (e) { if (e.status === 403) return null; throw e; }) : null;
    if (p === null) { box.dataset.empty = "1"; box.hidden = true; return; }
    const parts = [];
    p.settle.filter(function (s) { return s.waiting > 0 && (!agent || s.agent === agent || s.agent === "*"); }).forEach(function (s) {
      const unit = s.scope + (s.waiting === 1 ? "" : "s");
      parts.push(h("span", { class: "pending-item", "data-signal": s.signal, "data-scope": s.scope },
        h("a", { href: signalHref(s.signalId), text: s.signal }),
        ": " + num(s.waiting, 0) + " " + unit + " waiting to settle (" + s.rule + ")" + (s.nextAt ? ", next " + due(s.nextAt) : "")));
    });
    const llm = p.llm;
    if (llm.queued || llm.running || llm.failed) {
      const last = llm.recentFailures[0];
      parts.push(h("span", { class: "pending-item", "data-llm": "1" }, "LLM jobs: " + num(llm.queued, 0) + " queued, " + num(llm.running, 0) + " running, ",
        h("span", { class: llm.failed ? "error" : "", text: num(llm.failed, 0) + " failed" }), last && last.error ? " (last: " + last.error + ")" : ""));
    }
    const sends = p.notifications;
    if (sends.pending || sends.failed) {
      parts.push(h("span", { class: "pending-item", "data-notifications": "1" }, "Notifications: " + num(sends.pending, 0) + " waiting to be sent" + (sends.oldestDueAt ? " (oldest due " + due(sends.oldestDueAt) + ")" : "") + ", ",
        h("span", { class: sends.failed ? "error" : "", text: num(sends.failed, 0) + " failed" })));
    }
    box.dataset.empty = parts.length ? "0" : "1";
    box.replaceChildren(h("strong", { text: "Pending work: " }));
    append(box, parts.length ? parts.map(function (x, i) { return [i ? " · " : "", x]; }) : "none; every settled unit is labelled, no LLM job and no notification waits.");
  };
  box.refresh = draw;
  return box;
}

${VIEWS}

// ---- Routing -------------------------------------------------------------------------------------------------
async function route() {
  const hash = location.hash || "#/signals";
  if (!hash.startsWith("#/")) return;
  const q = hash.indexOf("?");
  const path = (q < 0 ? hash : hash.slice(0, q)).slice(2).split("/").map(decodeURIComponent);
  const params = new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
  // A view with its own nav link marks it; a session, trace or span belongs to its list, the others to Signals.
  const under = { session: "sessions", target: "sessions", trace: "traces", span: "traces" }[path[0]] || path[0];
  const section = document.querySelector('nav a[data-nav="' + under + '"]') ? under : "signals";
  document.querySelectorAll("nav a[data-nav]").forEach(function (a) { a.getAttribute("data-nav") === section ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current"); });
  const g = ++generation;
  try {
    await whoami();
    if (g !== generation) return false;
    showCaller();
    await (ROUTES[path[0]] || ROUTES.signals)(path.slice(1), params);
    if (g !== generation) return false;
    // Which route the view shows once drawn (its hash): scripts and tests wait on it rather than on text that the
    // view being left may also hold.
    view.dataset.drawn = hash;
    document.title = (view.querySelector("h1") ? view.querySelector("h1").firstChild.textContent + " · " : "") + "agent-signals";
  } catch (err) {
    // A view left before it was drawn (or failing after) says nothing over the newer one.
    if (err === STALE_VIEW || g !== generation) return false;
    const noStore = /^No route for GET \/v1\//.test(err.message);
    render([h("h1", { text: noStore ? "No signals store" : "Something went wrong" }),
      h("p", { class: "error", id: "view-error", text: noStore ? "This server runs without a signals store (SIGNALS_DB=none), so there is nothing to show; the playground works without one." : err.message }),
      noStore ? h("p", {}, h("a", { href: "/playground", text: "Open the playground" })) : null], g);
    view.dataset.drawn = hash;
  } finally {
    if (g === generation) { view.inert = false; view.removeAttribute("aria-busy"); }
  }
  return true;
}

const tokenInput = document.getElementById("token");
tokenInput.value = token();
document.getElementById("token-form").addEventListener("submit", function (e) {
  e.preventDefault();
  tokenInput.value ? localStorage.setItem(TOKEN_KEY, tokenInput.value) : localStorage.removeItem(TOKEN_KEY);
  notice(tokenInput.value ? "Token saved in this browser" : "Token cleared");
  route();
});
let lastPath = "";
window.addEventListener("hashchange", function () {
  if (!location.hash.startsWith("#/")) return;
  // A notice set by the action that navigated stays; an old one goes.
  if (Date.now() - noticeAt > 1500) notice("");
  const path = location.hash.split("?")[0];
  const moved = path !== lastPath;
  lastPath = path;
  // The view being left takes no clicks or keys while the next one loads: a click meant for the new view's button
  // must not land on the old view's button of the same name (editing the signal just left).
  if (moved) { view.inert = true; view.setAttribute("aria-busy", "true"); }
  // Focus follows a move to another view (for keyboards and screen readers), not a refresh of this one.
  route().then(function (drawn) { if (moved && drawn) { window.scrollTo(0, 0); view.focus({ preventScroll: true }); } });
});
lastPath = (location.hash || "#/signals").split("?")[0];
route();
`;

/** The dashboard script: the label colours (shared with the server's charts), what agent names show escaped, and the views. */
export const DASHBOARD_JS = [
  `const FIXED_COLOURS = ${JSON.stringify(FIXED_COLOURS)};`,
  `const PALETTE = ${JSON.stringify(PALETTE)};`,
  `const NAME_ESCAPES = new RegExp(${JSON.stringify(NAME_ESCAPES.source)}, "gu");`,
  `const NAME_ESCAPES_NOT_NFC = new RegExp(${JSON.stringify(NAME_ESCAPES_NOT_NFC.source)}, "gu");`,
  `const CONFUSABLE_SCRIPTS = ${JSON.stringify(CONFUSABLE_SCRIPTS)};`,
  BODY,
].join('\n');
