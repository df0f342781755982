'use strict';
const csrf = document.querySelector('meta[name=csrf]').content;
const $ = (id) => document.getElementById(id);
let detail = null;
let range = '1h';
function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  return e;
}
function duration(ms) {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  return s < 60
    ? s + 's'
    : s < 3600
      ? Math.floor(s / 60) + 'm' + (s % 60) + 's'
      : Math.floor(s / 3600) + 'h' + Math.floor((s % 3600) / 60) + 'm';
}
function bytes(b) {
  return b === null ? '-' : b > 1048576 ? (b / 1048576).toFixed(1) + ' MB' : Math.round(b / 1024) + ' KB';
}
async function post(url) {
  return fetch(url, { method: 'POST', headers: { 'X-CSRF-Token': csrf } });
}
async function act(name, action, button) {
  button.disabled = true;
  $('message').textContent = action + ' ' + name + ' ...';
  try {
    const r = await post('/api/programs/' + encodeURIComponent(name) + '/' + action);
    const body = await r.json();
    $('message').textContent = body.message || body.error;
  } catch (e) {
    $('message').textContent = String(e);
  }
  button.disabled = false;
  refresh();
}
const rows = new Map();
const COLUMNS = ['name', 'state', 'pid', 'uptime', 'cpu', 'memory', 'restarts', 'exit', 'address', 'ready'];
/** Rows are made once and updated in place, so a button never vanishes under the pointer. */
function row(name) {
  if (rows.has(name)) return rows.get(name);
  const tr = el('tr', undefined, { 'data-program': name });
  for (const column of COLUMNS) tr.append(el('td', '', { class: column }));
  const actions = el('div');
  for (const a of ['start', 'stop', 'restart']) {
    const b = el('button', a, { 'data-action': a });
    b.onclick = () => act(name, a, b);
    actions.append(b);
  }
  const more = el('button', 'details', { 'data-action': 'details' });
  more.onclick = () => {
    detail = name;
    showDetail();
  };
  actions.append(more);
  const cell = el('td', undefined, { class: 'actions' });
  cell.append(actions);
  tr.append(cell);
  $('programs').tBodies[0].append(tr);
  rows.set(name, tr);
  return tr;
}
function render(data) {
  const nav = $('links');
  if (!nav.children.length)
    nav.replaceChildren(...data.links.map((l) => el('a', l.title, { href: l.url, target: '_blank', rel: 'noopener' })));
  for (const p of data.programs) {
    const tr = row(p.name);
    tr.setAttribute('data-state', p.state);
    tr.title = p.reason || '';
    const cells = [
      p.name,
      p.state,
      p.pid ?? '-',
      duration(p.uptimeMs),
      p.cpu === null ? '-' : p.cpu + '%',
      bytes(p.memory),
      p.restarts,
      p.lastExitSignal ? 'killed by ' + p.lastExitSignal : (p.lastExitCode ?? '-'),
      p.address ? p.address.split(' ').join('\n') : '-',
      p.ready === null ? '-' : p.ready ? 'yes' : 'no',
    ];
    cells.forEach((c, i) => {
      if (tr.cells[i].textContent !== String(c)) tr.cells[i].textContent = String(c);
    });
  }
  $('updated').textContent = 'updated ' + new Date(data.time).toLocaleTimeString();
}
async function showDetail() {
  if (!detail) return;
  const name = encodeURIComponent(detail);
  const since = range === 'all' ? '' : '&since=' + range,
    grep = $('log-grep').value;
  const logUrl = grep
    ? '/api/logs?program=' + name + '&grep=' + encodeURIComponent(grep)
    : '/api/programs/' + name + '/log?lines=40';
  const [history, log] = await Promise.all([
    fetch('/api/history?program=' + name + since).then((r) => r.json()),
    fetch(logUrl).then((r) => r.json()),
  ]);
  const program = history.programs[0];
  $('detail').hidden = false;
  $('detail-title').textContent =
    detail + ': history and log' + (log.file ? ' (' + log.file + ')' : ' (search: ' + grep + ')');
  drawHistory(program);
  $('events').replaceChildren(
    ...program.events
      .slice(-20)
      .reverse()
      .map((e) => el('li', new Date(e.ts).toLocaleTimeString() + ' ' + e.event + ' ' + e.detail)),
  );
  $('log').textContent = log.file
    ? log.lines.join('\n')
    : log.lines.map((l) => new Date(l.ts).toLocaleTimeString() + ' ' + l.text).join('\n');
}
/** The peers' programs, grouped by node; a node that does not answer is shown down with the reason. */
async function refreshNodes() {
  const r = await fetch('/api/nodes?peers=only');
  if (r.status !== 200) return;
  const { nodes } = await r.json();
  $('nodes').hidden = nodes.length === 0;
  $('node-list').replaceChildren(
    ...nodes.map((n) => {
      const box = el('div', undefined, { class: 'node', 'data-node': n.name, 'data-up': String(n.up) });
      const about = [n.role, n.release].filter(Boolean).join(', ');
      box.append(el('h3', n.name + (about ? ' (' + about + ')' : '') + (n.up ? '' : ': DOWN: ' + n.reason)));
      if (n.up) {
        const table = el('table');
        table.append(
          ...n.programs.map((p) => {
            const tr = el('tr', undefined, { 'data-program': p.name, 'data-state': p.state });
            tr.append(
              el('td', p.name),
              el('td', p.state, { class: 'state' }),
              el('td', String(p.pid ?? '-')),
              el('td', p.address || '-'),
              // haproxy's view of it, when a balancer's pool names it
              el('td', p.haproxy ? 'haproxy: ' + p.haproxy.status + ' (' + p.haproxy.sessions + ')' : '', {
                class: 'haproxy',
              }),
            );
            return tr;
          }),
        );
        box.append(table);
      }
      return box;
    }),
  );
}
async function refresh() {
  try {
    const r = await fetch('/api/status');
    if (r.status === 401) {
      location.href = '/login';
      return;
    }
    render(await r.json());
    refreshNodes();
    if (detail) showDetail();
  } catch (e) {
    $('message').textContent = 'panel unreachable: ' + e;
  }
}
for (const b of document.querySelectorAll('#range button'))
  b.onclick = () => {
    range = b.dataset.range;
    for (const o of document.querySelectorAll('#range button')) o.setAttribute('aria-pressed', String(o === b));
    showDetail();
  };
$('log-search').onsubmit = (e) => {
  e.preventDefault();
  showDetail();
};
$('logout').onclick = async () => {
  await post('/logout');
  location.href = '/login';
};
refresh();
setInterval(refresh, 2000);
