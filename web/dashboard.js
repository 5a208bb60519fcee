// dashboard.js - counts: articles per month for the chosen themes, the
// officials quoted most in one theme, and the chosen themes' articles per
// source, organization and year. The choices live in the URL
// (#/dashboard?themes=economy,trade&top=economy): a reload or a shared link
// shows the same dashboard, and back undoes the last choice.
//
// API: GET /v1/facets?field=theme                   (the themes, with counts)
//      GET /v1/timeline?interval=month[&theme=...]  (one line per theme)
//      GET /v1/facets?field=official&theme=...      (top officials)
//      GET /v1/facets?field=source|organization|year&theme=a,b

import { get } from './api.js';
import { barList, timeChart } from './chart.js';
import { h, uid } from './dom.js';
import { link, setState } from './router.js';
import { errorBox, setTitle } from './ui.js';

const DEFAULT_THEMES = 3; // the most written about, when the URL names none
const CHOOSE = 'Choose one or more themes above.';
// the breakdowns of the chosen themes' articles: facet, heading, and where
// a bar's label links to (the articles of that organization, of that year)
const BREAKDOWNS = [
  ['source', 'Sources', null],
  ['organization', 'Organizations quoted', (slug) => link.search({ organization: slug })],
  ['year', 'Years', (year) => link.search({ from: `${year}-01-01`, to: `${year}-12-31` })],
];

const filling = new WeakMap(); // section -> AbortController of its request

/** Fills section with what make(signal) answers (a promise of elements),
 * or with the error that stopped it. A newer fill of the same section
 * cancels an older one, so a slow answer never overwrites a newer choice. */
async function fill(section, signal, make) {
  filling.get(section)?.abort();
  const own = new AbortController();
  filling.set(section, own);
  section.setAttribute('aria-busy', 'true');
  try {
    section.replaceChildren(...(await make(AbortSignal.any([signal, own.signal]))));
  } catch (err) {
    if (err.name !== 'AbortError') section.replaceChildren(errorBox(err));
  } finally {
    if (filling.get(section) === own) section.removeAttribute('aria-busy');
  }
}

/** Articles per month, one line per theme, over the months of all
 * articles (a theme's timeline spans only its own first to last month). */
async function themesChart(themes, names, signal) {
  if (!themes.length) return [h('p', {}, CHOOSE)];
  const [all, ...lines] = await Promise.all([{}, ...themes.map((theme) => ({ theme }))]
    .map((filter) => get('/v1/timeline', { ...filter, interval: 'month' }, signal)));
  if (!all.data.length) return [h('p', {}, 'No articles yet.')];
  return [timeChart({
    caption: `Articles per month on ${themes.map((t) => names.get(t)).join(', ')}`,
    periods: all.data.map((d) => d.period),
    series: lines.map((line, i) => {
      const counts = new Map(line.data.map((d) => [d.period, d.count]));
      return { name: names.get(themes[i]), counts: all.data.map((d) => counts.get(d.period) ?? 0) };
    }),
  })];
}

/** A facet of the articles matching params, as bars: the ten largest, and
 * a line saying how many values were left out and what they add up to
 * (the answer's values and other), so that a cut list does not pass for
 * the whole. */
async function facetBars(field, label, params, signal, href) {
  const { data, values, other } = await get('/v1/facets', { ...params, field, limit: 10 }, signal);
  if (!data.length) return [h('p', {}, 'None.')];
  const left = (values ?? data.length) - data.length;
  const bars = barList({ label, rows: data.map((d) => ({ label: d.name, count: d.count, href: href?.(d.value) })) });
  if (left <= 0) return [bars];
  return [bars, h('p', { class: 'meta rest' }, `and ${left} more, with ${other} between them`)];
}

export async function dashboardView(main, { params, signal }) {
  setTitle('Dashboard');
  const themeCounts = (await get('/v1/facets', { field: 'theme', limit: 1000 }, signal)).data;
  const names = new Map(themeCounts.map((t) => [t.value, t.name]));
  const known = (slug) => names.has(slug);
  let chosen = (params.get('themes') ?? '').split(',').filter(known);
  if (!params.has('themes')) chosen = themeCounts.slice(0, DEFAULT_THEMES).map((t) => t.value);
  let top = known(params.get('top')) ? params.get('top') : chosen[0] ?? themeCounts[0]?.value;

  const state = () => link.dashboard({ themes: chosen, top });
  setState(state()); // the defaults, too, are in the URL to share

  // the theme checkboxes: which themes the chart and breakdowns show
  const picker = h('fieldset', { class: 'themes' },
    h('legend', {}, 'Themes to compare (articles)'),
    h('ul', {}, themeCounts.map((t) => {
      const id = uid('theme');
      return h('li', {},
        h('input', { type: 'checkbox', id, value: t.value, checked: chosen.includes(t.value) }),
        h('label', { for: id }, `${t.name} (${t.count})`));
    })));
  const topId = uid('top');
  const topSelect = h('select', { id: topId },
    themeCounts.map((t) => h('option', { value: t.value, selected: t.value === top }, t.name)));

  const chart = h('div');
  const officials = h('div');
  const breakdowns = BREAKDOWNS.map(() => h('div'));

  const drawChosen = () => {
    fill(chart, signal, (s) => themesChart(chosen, names, s));
    BREAKDOWNS.forEach(([field, label, href], i) => fill(breakdowns[i], signal, async (s) =>
      (chosen.length ? facetBars(field, label, { theme: chosen }, s, href) : [h('p', {}, CHOOSE)])));
  };
  const drawTop = () => fill(officials, signal, async (s) => (top
    ? facetBars('official', `Officials quoted most on ${names.get(top)}`, { theme: top }, s, link.official)
    : [h('p', {}, 'No themes yet.')]));

  picker.addEventListener('change', (e) => {
    // in the order chosen: the newest theme last in the legend and the URL
    chosen = chosen.filter((t) => t !== e.target.value);
    if (e.target.checked) chosen.push(e.target.value);
    setState(state(), true);
    drawChosen();
  });
  topSelect.addEventListener('change', () => {
    top = topSelect.value;
    setState(state(), true);
    drawTop();
  });

  main.append(
    h('h1', { tabindex: -1 }, 'Dashboard'),
    picker,
    h('section', { 'aria-labelledby': 'per-month-h' },
      h('h2', { id: 'per-month-h' }, 'Articles per month'), chart),
    h('section', { 'aria-labelledby': 'top-h' },
      h('h2', { id: 'top-h' }, 'Top officials'),
      h('div', { class: 'field' }, h('label', { for: topId }, 'Theme'), topSelect),
      officials),
    h('section', { 'aria-labelledby': 'facets-h' },
      h('h2', { id: 'facets-h' }, 'The chosen themes’ articles by'),
      h('div', { class: 'facets' }, BREAKDOWNS.map(([, label], i) =>
        h('section', { 'aria-label': label }, h('h3', {}, label), breakdowns[i])))));
  drawChosen();
  drawTop();
}
