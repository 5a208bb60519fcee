// chart.js - the two charts of the page, drawn as SVG by this code:
// counts over time (one line per series) and counts per item (bars).
// Every chart also gives its numbers as text, for screen readers and for
// anyone who wants them exactly.

import { h, svg, uid } from './dom.js';

// Series colours (each at least 4.5:1 against white) and dash patterns, so
// that lines differ by more than colour (12 series before one repeats).
const COLOURS = ['#1f5fbf', '#b34700', '#1e7b34', '#8a2ba8', '#a3123a', '#006d75'];
const DASHES = [null, '8 4', '2 3', '10 3 2 3'];
const style = (i) => ({
  stroke: COLOURS[i % COLOURS.length],
  'stroke-dasharray': DASHES[i % DASHES.length],
});

/** Up to about five round steps from 0 to at least max (integers). */
function ticks(max) {
  const raw = Math.max(1, max) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw));
  const out = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

/** A line chart of counts per period.
 * periods: ['2023-01', ...]; series: [{name, counts: [n per period]}]. */
export function timeChart({ caption, periods, series, periodName = 'Month' }) {
  // drawn at about the width it will have, so that its text stays readable
  // on a phone; it scales with the page after that
  const W = Math.min(800, Math.max(300, (document.querySelector('main')?.clientWidth ?? 640) - 32));
  const H = W < 500 ? 220 : 260;
  const m = { top: 12, right: 16, bottom: 40, left: 40 };
  const plotW = W - m.left - m.right, plotH = H - m.top - m.bottom;
  const yTicks = ticks(Math.max(0, ...series.flatMap((s) => s.counts)));
  const top = yTicks[yTicks.length - 1];
  const x = (i) => m.left + (periods.length < 2 ? plotW / 2 : (i * plotW) / (periods.length - 1));
  const y = (v) => m.top + plotH - (v / top) * plotH;
  const every = Math.ceil(periods.length / Math.floor(plotW / 72)); // labels 72 units apart or more
  const captionId = uid('chart');

  const grid = yTicks.map((v) => [
    svg('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), stroke: '#d0d4da' }),
    svg('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#3d4450' }, v),
  ]);
  const axis = periods.map((p, i) => (i % every ? null
    : svg('text', { x: x(i), y: H - m.bottom + 18, 'text-anchor': 'middle', 'font-size': 12, fill: '#3d4450' }, p)));
  // a line per series, and a dot per period that names its count on hover
  const lines = series.map((s, i) => svg('g', { fill: style(i).stroke },
    svg('polyline', { ...style(i), fill: 'none', 'stroke-width': 2,
      points: s.counts.map((c, k) => `${x(k)},${y(c)}`).join(' ') }),
    s.counts.map((c, k) => svg('circle', { cx: x(k), cy: y(c), r: 3 },
      svg('title', {}, `${s.name}, ${periods[k]}: ${c}`)))));

  return h('figure', { class: 'chart' },
    h('figcaption', { id: captionId }, caption),
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': captionId, class: 'plot' },
      grid, axis, lines),
    series.length > 1 && h('ul', { class: 'legend', 'aria-label': 'Legend' }, series.map((s, i) =>
      h('li', {},
        svg('svg', { viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true' },
          svg('line', { x1: 0, x2: 24, y1: 4, y2: 4, 'stroke-width': 3, ...style(i) })),
        s.name))),
    h('details', {},
      h('summary', {}, 'Show the numbers'),
      h('div', { class: 'table-scroll' },
        h('table', {},
          h('caption', {}, caption),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, periodName),
            series.map((s) => h('th', { scope: 'col' }, s.name)))),
          h('tbody', {}, periods.map((p, k) => h('tr', {}, h('th', { scope: 'row' }, p),
            series.map((s) => h('td', {}, s.counts[k])))))))));
}

/** Counts per item as bars: rows [{label, count, href?}], largest first. */
export function barList({ label, rows }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return h('ol', { class: 'bars', 'aria-label': label }, rows.map((r) => h('li', {},
    r.href ? h('a', { href: r.href, class: 'bar-label' }, r.label) : h('span', { class: 'bar-label' }, r.label),
    svg('svg', { class: 'bar', 'aria-hidden': 'true', width: '100%', height: 12 },
      svg('rect', { width: `${(100 * r.count) / max}%`, height: 12, rx: 2, fill: COLOURS[0] })),
    h('span', { class: 'count' }, r.count))));
}
