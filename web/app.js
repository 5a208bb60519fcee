// app.js - starts the page: routes each URL to its view and shows it in
// <main>. A view is an async function (main, {args, params, signal}) that
// fills main; signal aborts when the reader moves on to another view.

import { apiBase } from './api.js';
import { articleView } from './article.js';
import { dashboardView } from './dashboard.js';
import { h } from './dom.js';
import { officialView } from './official.js';
import { startRouter } from './router.js';
import { searchView } from './search.js';
import { errorBox, setTitle } from './ui.js';

const routes = [
  [/^\/$/, searchView],
  [/^\/articles\/([^/]+)$/, articleView],
  [/^\/officials\/([^/]+)$/, officialView],
  [/^\/dashboard$/, dashboardView],
];

function notFound(main) {
  setTitle('Not found');
  main.append(h('h1', { tabindex: -1 }, 'Not found'),
    h('p', {}, 'There is no such page here. ', h('a', { href: '#/' }, 'Search the articles.')));
}

const LOADING_MS = 300;
const main = document.getElementById('main');
let viewing = null; // aborts the view on screen when the next one starts
let firstView = true;

async function show(view, args, params) {
  viewing?.abort();
  viewing = new AbortController();
  const { signal } = viewing;
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  const path = (location.hash.slice(1) || '/').split('?')[0];
  for (const a of document.querySelectorAll('nav a[data-path]')) {
    if (a.dataset.path === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  // a view waiting for the API says so, after a moment (a quick answer
  // shows no flash of it)
  const loading = h('p', { class: 'status', role: 'status' }, 'Loading…');
  const timer = setTimeout(() => { if (!signal.aborted) main.prepend(loading); }, LOADING_MS);
  try {
    await (view ?? notFound)(main, { args, params, signal });
  } catch (err) {
    if (err.name === 'AbortError') return;
    setTitle('Error');
    if (!main.querySelector('h1')) main.append(h('h1', { tabindex: -1 }, 'Something went wrong'));
    main.append(errorBox(err));
  } finally {
    clearTimeout(timer);
    loading.remove();
  }
  if (signal.aborted) return;
  main.removeAttribute('aria-busy');
  // After moving to another view, keyboard and screen reader users start at
  // its heading; on the first view they start at the top of the page.
  if (!firstView) main.querySelector('h1')?.focus();
  firstView = false;
}

// The skip link moves focus without touching the URL, which holds the route.
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
const apiLink = document.getElementById('api-base');
apiLink.href = `${apiBase}/v1`;
apiLink.textContent = apiBase;

startRouter(routes, show);
