import { FIXED_COLOURS, PALETTE } from './colours.js';
import { VIEWS } from './views/index.js';

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
    try {
      const e = (await res.json()).error;
      message = e.message + (e.details && e.details.length ? " (" + e.details.join("; ") + ")" : "");
    } catch (err) { /* not a JSON error body */ }
    if (res.status === 401) message += ": set the API token at the top of the page";
    throw new Error(message);
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
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }
function signalHref(id) { return "#/signal/" + enc(id); }
function targetHref(kind, id, agent) { return "#/target/" + kind + "/" + enc(id) + (agent ? "?agent=" + enc(agent) : ""); }
function render(nodes) {
  view.replaceChildren();
  append(view, nodes);
}

const NEXT_STATES = { draft: ["active", "archived"], active: ["disabled", "archived"], disabled: ["active", "archived"], archived: ["disabled"] };
const STATE_VERB = { active: "Activate", disabled: "Disable", archived: "Archive" };
function stateButtons(signal, after) {
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

${VIEWS}

// ---- Routing -------------------------------------------------------------------------------------------------
async function route() {
  const hash = location.hash || "#/signals";
  if (!hash.startsWith("#/")) return;
  const q = hash.indexOf("?");
  const path = (q < 0 ? hash : hash.slice(0, q)).slice(2).split("/").map(decodeURIComponent);
  const params = new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
  // A view with its own nav link marks it; the others (a signal, a target) belong to Signals.
  const section = document.querySelector('nav a[data-nav="' + path[0] + '"]') ? path[0] : "signals";
  document.querySelectorAll("nav a[data-nav]").forEach(function (a) { a.getAttribute("data-nav") === section ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current"); });
  generation++;
  try {
    await (ROUTES[path[0]] || ROUTES.signals)(path.slice(1), params);
    document.title = (view.querySelector("h1") ? view.querySelector("h1").firstChild.textContent + " · " : "") + "agent-signals";
  } catch (err) {
    const noStore = /^No route for GET \/v1\//.test(err.message);
    render([h("h1", { text: noStore ? "No signals store" : "Something went wrong" }),
      h("p", { class: "error", id: "view-error", text: noStore ? "This server runs without a signals store (SIGNALS_DB=none), so there is nothing to show; the playground works without one." : err.message }),
      noStore ? h("p", {}, h("a", { href: "/playground", text: "Open the playground" })) : null]);
  }
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
  // Focus follows a move to another view (for keyboards and screen readers), not a refresh of this one.
  route().then(function () { if (moved) { window.scrollTo(0, 0); view.focus({ preventScroll: true }); } });
});
lastPath = (location.hash || "#/signals").split("?")[0];
route();
`;

/** The dashboard script: the label colours (shared with the server's charts) and the views. */
export const DASHBOARD_JS = `const FIXED_COLOURS = ${JSON.stringify(FIXED_COLOURS)};\nconst PALETTE = ${JSON.stringify(PALETTE)};\n${BODY}`;
