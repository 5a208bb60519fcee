// search.js - the start page: search as you type, or browse the newest
// articles when there are no words, under filters for theme, official,
// organization and dates. The words and filters live in the URL
// (#/?q=budget&theme=public-finance), so a search can be shared.
//
// API: GET /v1/search?q=...  (ranked, with a highlighted snippet)
//      GET /v1/articles      (newest first, when there are no words)
//      both with the same filters and limit/cursor paging;
//      GET /v1/themes, /v1/officials, /v1/organizations for the menus.

import { Pager, getAll } from './api.js';
import { h, highlighted, uid } from './dom.js';
import { link, setState } from './router.js';
import { byline, pagedList, setTitle, themeList } from './ui.js';

const FILTERS = ['theme', 'official', 'organization', 'from', 'to'];
const PAGE = 10; // results a page
const DEBOUNCE_MS = 250;

// The menus change seldom: asked for once, kept while the page is open (and
// asked for again after a failure). Not cancelled with a view: the next
// view may be waiting for the same answer.
let menus = null;
function loadMenus() {
  const names = { sort: 'name', fields: 'slug,name' };
  menus ??= Promise.all(['/v1/themes', '/v1/officials', '/v1/organizations']
    .map((path) => getAll(path, names)));
  menus.catch(() => { menus = null; });
  return menus;
}

/** A labelled <select> of slugs, "any" first. */
function menu(name, label, rows, value) {
  const id = uid(name);
  const select = h('select', { id, name },
    h('option', { value: '' }, 'Any'),
    rows.map((r) => h('option', { value: r.slug, selected: r.slug === value }, r.name)));
  return h('div', { class: 'field' }, h('label', { for: id }, label), select);
}

/** A labelled date input. */
function dateField(name, label, value) {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, label),
    h('input', { id, name, type: 'date', value: value ?? '' }));
}

/** One result: a hit of /v1/search (with a snippet) or an article of
 * /v1/articles (with its summary). */
function resultItem(a) {
  return h('li', { class: 'result' },
    h('article', {},
      h('h2', {}, h('a', { href: link.article(a.slug) }, a.title)),
      h('p', { class: 'meta' }, byline(a)),
      h('p', { class: 'snippet' }, a.snippet !== undefined ? highlighted(a.snippet) : a.summary),
      themeList(a.themes)));
}

export async function searchView(main, { params, signal }) {
  setTitle('Search');
  const [themes, officials, organizations] = await loadMenus();
  if (signal.aborted) return;
  const qId = uid('q');
  const q = h('input', {
    id: qId, name: 'q', type: 'search', value: params.get('q') ?? '', autocomplete: 'off',
    'aria-describedby': `${qId}-help`,
  });
  const form = h('form', { role: 'search', class: 'search', 'aria-label': 'Articles' },
    h('div', { class: 'field query' },
      h('label', { for: qId }, 'Search words'),
      q,
      h('p', { id: `${qId}-help`, class: 'hint' },
        'Words, "an exact phrase", -word to leave out, OR between alternatives. '
        + 'Empty: the newest articles.')),
    h('fieldset', { class: 'filters' },
      h('legend', {}, 'Filters'),
      menu('theme', 'Theme', themes, params.get('theme')),
      menu('official', 'Official', officials, params.get('official')),
      menu('organization', 'Organization', organizations, params.get('organization')),
      dateField('from', 'From', params.get('from')),
      dateField('to', 'To', params.get('to')),
      h('button', { type: 'button', class: 'secondary', onclick: clearFilters }, 'Clear filters')));
  const results = h('div', { class: 'results' });
  main.append(h('h1', { tabindex: -1 }, 'Articles'), form, results);

  let shown = null; // the URL of the results on screen
  let searching = null; // aborts the search on screen when the next one starts
  // push: a new step in the browser history (a filter chosen: back undoes
  // it); else the current entry is replaced (typing: no step per letter)
  function update(push = false) {
    const data = new FormData(form);
    const state = Object.fromEntries(['q', ...FILTERS].map((k) => [k, data.get(k)?.trim()]));
    if (link.search(state) === shown) return;
    shown = link.search(state);
    setState(shown, push);
    searching?.abort();
    searching = new AbortController();
    const filters = { ...state, q: undefined, limit: PAGE };
    const pager = state.q
      ? new Pager('/v1/search', {
        ...filters, q: state.q, fields: 'slug,title,published,source,themes,snippet',
      }, true)
      : new Pager('/v1/articles', { ...filters, fields: 'slug,title,published,source,themes,summary' }, true);
    results.replaceChildren(pagedList({
      pager, renderItem: resultItem, label: 'Results', noun: 'articles',
      signal: AbortSignal.any([signal, searching.signal]),
    }));
  }

  let timer;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => update(), DEBOUNCE_MS);
  });
  signal.addEventListener('abort', () => clearTimeout(timer));
  form.addEventListener('change', (e) => { if (e.target !== q) update(true); });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    update();
  });
  function clearFilters() {
    for (const name of FILTERS) form.elements[name].value = '';
    update(true);
  }
  update();
}
