'use strict';
/*
 * The history charts of the panel's details, drawn with uPlot (served by the agent from its
 * node_modules: no CDN). Two charts on one time axis: cpu % (left) and memory in MB (right);
 * restarts (a step line). The events (start, stop, exited, fatal, ready, reload...) are drawn on
 * both as vertical lines in their kind's colour, listed in a legend below. The range picker
 * asks /api/history for the last 15 min, 1 h, 24 h or all that is kept.
 */
const EVENT_COLOURS = {
  start: '#2e7d32',
  restart: '#f9a825',
  ready: '#00838f',
  stop: '#616161',
  stopped: '#616161',
  exited: '#e65100',
  fatal: '#b00020',
  killed: '#6a1b9a',
  reload: '#1565c0',
  state: '#9e9e9e',
};
const charts = {};
const TIME_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
];
function two(n) {
  return String(n).padStart(2, '0');
}
function timeLabel(s) {
  const d = new Date(s * 1000);
  return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
}
window.zetaCharts = charts;
function eventColour(kind) {
  return EVENT_COLOURS[kind] || '#9e9e9e';
}
function eventsPlugin(events) {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.lineWidth = 2 * devicePixelRatio;
          for (const e of events) {
            const x = u.valToPos(e.ts / 1000, 'x', true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.strokeStyle = eventColour(e.event);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}
function chartWidth() {
  return Math.max(320, Math.min(1100, document.getElementById('detail').clientWidth - 20));
}
function makeChart(key, box, opts, data) {
  if (charts[key]) charts[key].destroy();
  charts[key] = new uPlot(opts, data, box);
}
function mb(v) {
  return v === null || v === undefined ? '-' : v.toFixed(1) + ' MB';
}
function pct(v) {
  return v === null || v === undefined ? '-' : v.toFixed(1) + ' %';
}
/** Draws one program's history: { samples, events } of /api/history. */
function drawHistory(history) {
  const samples = history.samples,
    events = history.events;
  const t = samples.map((s) => s.ts / 1000);
  const cpu = samples.map((s) => s.cpu),
    mem = samples.map((s) => (s.memory === null ? null : s.memory / 1048576));
  const restarts = samples.map((s) => s.restarts);
  const width = chartWidth();
  // whole seconds and up, one line of local time per tick, 90 px apart: no label runs into the next
  const x = {
    stroke: '#444',
    grid: { stroke: '#eee' },
    label: 'time',
    labelSize: 20,
    size: 40,
    space: 90,
    incrs: TIME_STEPS,
    values: (u, splits) => splits.map(timeLabel),
  };
  makeChart(
    'usage',
    document.getElementById('chart-usage'),
    {
      title: 'cpu and memory',
      width,
      height: 220,
      plugins: [eventsPlugin(events)],
      scales: {
        x: { time: true },
        pct: { range: (u, lo, hi) => [0, Math.max(5, Math.ceil((hi || 0) * 1.1))] },
        mb: { range: (u, lo, hi) => [0, Math.max(1, Math.ceil((hi || 0) * 1.2))] },
      },
      series: [
        { label: 'time' },
        { label: 'cpu', scale: 'pct', stroke: '#1565c0', width: 2, value: (u, v) => pct(v) },
        { label: 'memory (resident)', scale: 'mb', stroke: '#8e24aa', width: 2, value: (u, v) => mb(v) },
      ],
      axes: [
        x,
        {
          scale: 'pct',
          label: 'cpu %',
          labelSize: 20,
          size: 50,
          values: (u, vals) => vals.map((v) => v + ' %'),
          grid: { stroke: '#eee' },
        },
        {
          scale: 'mb',
          side: 1,
          label: 'memory MB',
          labelSize: 20,
          size: 60,
          values: (u, vals) => vals.map((v) => v + ' MB'),
          grid: { show: false },
        },
      ],
    },
    [t, cpu, mem],
  );
  makeChart(
    'restarts',
    document.getElementById('chart-restarts'),
    {
      title: 'restarts',
      width,
      height: 160,
      plugins: [eventsPlugin(events)],
      scales: { x: { time: true }, n: { range: (u, lo, hi) => [0, Math.max(1, (hi || 0) + 1)] } },
      series: [
        { label: 'time' },
        { label: 'restarts', scale: 'n', stroke: '#e65100', width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
      ],
      axes: [
        x,
        {
          scale: 'n',
          label: 'restarts',
          labelSize: 20,
          size: 50,
          incrs: [1, 2, 5, 10, 20, 50, 100],
          values: (u, vals) => vals.map((v) => String(v)),
        },
      ],
    },
    [t, restarts],
  );
  const kinds = [...new Set(events.map((e) => e.event))];
  document.getElementById('event-legend').replaceChildren(
    ...kinds.map((k) => {
      const item = document.createElement('li');
      item.textContent = k;
      item.setAttribute('data-event', k);
      item.style.borderLeftColor = eventColour(k);
      return item;
    }),
  );
}
window.drawHistory = drawHistory;
