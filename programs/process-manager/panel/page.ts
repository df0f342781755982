/**
 * The panel's pages. No inline script or style (the CSP forbids them): the page carries its CSRF
 * token in a meta tag, panel.js builds the table from /api/status with textContent only (no
 * program output is ever parsed as HTML), and draws each program's history as a small SVG chart.
 */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/panel.css">${head}</head>
<body>${body}</body></html>`;
}

export function loginPage(part: string, message = ''): string {
  return layout(`${part}: log in`, `<main class="login"><h1>Zetaserver ${escape(part)}</h1>
<form method="post" action="/login"><label>User <input name="user" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>${message ? `<p class="error" role="alert">${escape(message)}</p>` : ''}</form></main>`);
}

export function panelPage(part: string, csrf: string): string {
  return layout(`${part}: programs`, `<header><h1>Zetaserver ${escape(part)}</h1><nav id="links"></nav>
<button id="logout">Log out</button></header>
<p id="message" role="status"></p>
<div class="scroll"><table id="programs"><thead><tr><th>Name</th><th>State</th><th>PID</th><th>Uptime</th><th>CPU</th><th>Memory</th><th>Restarts</th>
<th>Exit</th><th>Address</th><th>Ready</th><th></th></tr></thead><tbody></tbody></table></div>
<p id="updated"></p>
<section id="detail" hidden><h2 id="detail-title"></h2><svg id="chart" viewBox="0 0 600 120" preserveAspectRatio="none"></svg>
<p class="legend"><span class="cpu">cpu %</span> <span class="mem">memory</span></p><ul id="events"></ul><pre id="log"></pre></section>
<script src="/panel.js"></script>`, `<meta name="csrf" content="${escape(csrf)}">`);
}

/**
 * The table is laid out by its content (table-layout auto), never by equal shares: a column is
 * at least as wide as its longest unbreakable word (an address, a state), so no text can run
 * into the next cell. Addresses go one per line, the exit wraps at its spaces, long names wrap
 * at their hyphens, and the buttons wrap within their cell; below 900 px everything is a little
 * smaller, so the table still fits an 800 px window. Narrower than that it scrolls inside its
 * own box instead of overflowing the page. test/process-manager/panel-layout
 * measures it in Chromium at several widths.
 */
export const PANEL_CSS = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}header{display:flex;flex-wrap:wrap;gap:1em;align-items:center}
h1{font-size:1.3em;margin:0}nav a{margin-right:1em}.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;table-layout:auto;font-size:13px}
th,td{padding:.3em .45em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;white-space:nowrap}
td.name{white-space:normal;overflow-wrap:break-word;min-width:6em}td.exit{white-space:normal}td.address{white-space:pre-line}
td.actions{white-space:normal}td.actions div{display:flex;flex-wrap:wrap;gap:.3em}td.actions button{margin:0}
td.state{font-weight:bold}
@media (max-width:900px){body{margin:1em}table{font-size:12px}th,td{padding:.25em .3em}td.actions button{font-size:11px;padding:1px 4px}}
tr[data-state=RUNNING] td.state{color:#17803d}tr[data-state=STOPPED] td.state{color:#666}
tr[data-state=FATAL] td.state,tr[data-state=EXITED] td.state{color:#b00020}tr[data-state=BACKOFF] td.state,tr[data-state=STARTING] td.state{color:#a86b00}
#message{min-height:1.2em;white-space:pre-wrap}pre{background:#f5f5f5;padding:.6em;max-height:20em;overflow:auto}
svg{width:100%;height:120px;background:#fafafa;border:1px solid #ddd}.cpu{color:#1565c0}.mem{color:#8e24aa}
.login form{display:flex;flex-direction:column;gap:.6em;max-width:20em}.error{color:#b00020}`;

export const PANEL_JS = `'use strict';
const csrf = document.querySelector('meta[name=csrf]').content;
const $ = (id) => document.getElementById(id);
let detail = null;
function el(tag, text, attrs) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; for (const k in attrs || {}) e.setAttribute(k, attrs[k]); return e; }
function duration(ms) { if (ms === null) return '-'; const s = Math.floor(ms / 1000); return s < 60 ? s + 's' : s < 3600 ? Math.floor(s / 60) + 'm' + (s % 60) + 's' : Math.floor(s / 3600) + 'h' + Math.floor(s % 3600 / 60) + 'm'; }
function bytes(b) { return b === null ? '-' : b > 1048576 ? (b / 1048576).toFixed(1) + ' MB' : Math.round(b / 1024) + ' KB'; }
async function post(url) { return fetch(url, { method: 'POST', headers: { 'X-CSRF-Token': csrf } }); }
async function act(name, action, button) {
  button.disabled = true; $('message').textContent = action + ' ' + name + ' ...';
  try { const r = await post('/api/programs/' + encodeURIComponent(name) + '/' + action); const body = await r.json(); $('message').textContent = body.message || body.error; }
  catch (e) { $('message').textContent = String(e); }
  button.disabled = false; refresh();
}
const rows = new Map();
const COLUMNS = ['name', 'state', 'pid', 'uptime', 'cpu', 'memory', 'restarts', 'exit', 'address', 'ready'];
/** Rows are made once and updated in place, so a button never vanishes under the pointer. */
function row(name) {
  if (rows.has(name)) return rows.get(name);
  const tr = el('tr', undefined, { 'data-program': name });
  for (const column of COLUMNS) tr.append(el('td', '', { class: column }));
  const actions = el('div');
  for (const a of ['start', 'stop', 'restart']) { const b = el('button', a, { 'data-action': a }); b.onclick = () => act(name, a, b); actions.append(b); }
  const more = el('button', 'details', { 'data-action': 'details' }); more.onclick = () => { detail = name; showDetail(); }; actions.append(more);
  const cell = el('td', undefined, { class: 'actions' }); cell.append(actions); tr.append(cell); $('programs').tBodies[0].append(tr); rows.set(name, tr);
  return tr;
}
function render(data) {
  const nav = $('links');
  if (!nav.children.length) nav.replaceChildren(...data.links.map((l) => el('a', l.title, { href: l.url, target: '_blank', rel: 'noopener' })));
  for (const p of data.programs) {
    const tr = row(p.name);
    tr.setAttribute('data-state', p.state); tr.title = p.reason || '';
    const cells = [p.name, p.state, p.pid ?? '-', duration(p.uptimeMs), p.cpu === null ? '-' : p.cpu + '%', bytes(p.memory), p.restarts, p.lastExitSignal ? 'killed by ' + p.lastExitSignal : p.lastExitCode ?? '-', p.address ? p.address.split(' ').join('\\n') : '-', p.ready === null ? '-' : p.ready ? 'yes' : 'no'];
    cells.forEach((c, i) => { if (tr.cells[i].textContent !== String(c)) tr.cells[i].textContent = String(c); });
  }
  $('updated').textContent = 'updated ' + new Date(data.time).toLocaleTimeString();
}
function chart(samples) {
  const svg = $('chart'); svg.replaceChildren();
  if (samples.length < 2) return;
  const t0 = samples[0].ts, t1 = samples[samples.length - 1].ts || t0 + 1;
  const maxMem = Math.max(1, ...samples.map((s) => s.memory || 0)), maxCpu = Math.max(100, ...samples.map((s) => s.cpu || 0));
  const line = (f, max, cls) => { const pts = samples.map((s) => ((s.ts - t0) / (t1 - t0 || 1) * 600).toFixed(1) + ',' + (118 - (f(s) || 0) / max * 115).toFixed(1)).join(' ');
    const pl = document.createElementNS('http://www.w3.org/2000/svg', 'polyline'); pl.setAttribute('points', pts); pl.setAttribute('fill', 'none'); pl.setAttribute('stroke', cls === 'cpu' ? '#1565c0' : '#8e24aa'); pl.setAttribute('class', cls); svg.append(pl); };
  line((s) => s.cpu, maxCpu, 'cpu'); line((s) => s.memory, maxMem, 'mem');
}
async function showDetail() {
  if (!detail) return;
  const name = encodeURIComponent(detail);
  const [history, log] = await Promise.all([fetch('/api/programs/' + name + '/history').then((r) => r.json()), fetch('/api/programs/' + name + '/log?lines=40').then((r) => r.json())]);
  $('detail').hidden = false; $('detail-title').textContent = detail + ': history and log (' + log.file + ')';
  chart(history.samples);
  $('events').replaceChildren(...history.events.map((e) => el('li', new Date(e.ts).toLocaleTimeString() + ' ' + e.event + ' ' + e.detail)));
  $('log').textContent = log.lines.join('\\n');
}
async function refresh() {
  try { const r = await fetch('/api/status'); if (r.status === 401) { location.href = '/login'; return; } render(await r.json()); if (detail) showDetail(); }
  catch (e) { $('message').textContent = 'panel unreachable: ' + e; }
}
$('logout').onclick = async () => { await post('/logout'); location.href = '/login'; };
refresh(); setInterval(refresh, 2000);
`;
