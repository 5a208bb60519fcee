// router.js - hash routes: #/path?query.
//
// The URL holds the state of every view (the search words and filters, the
// themes on the dashboard), so a view can be bookmarked and shared, a reload
// shows the same thing, and back/forward work. The page's own query string
// (?api=...) is left alone.

/** '#/path?a=1&b=x,y' from a path and parameters (arrays become comma
 * lists; empty values are left out). */
export function hashFor(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    const v = Array.isArray(value) ? value.join(',') : value;
    if (v !== undefined && v !== null && v !== '') query.set(name, v);
  }
  const q = query.toString().replace(/%2C/gi, ','); // comma lists stay readable
  return `#${path}${q ? `?${q}` : ''}`;
}

/** The hrefs of the page's views. */
export const link = {
  search: (params) => hashFor('/', params),
  article: (slug) => hashFor(`/articles/${encodeURIComponent(slug)}`),
  official: (slug) => hashFor(`/officials/${encodeURIComponent(slug)}`),
  dashboard: (params) => hashFor('/dashboard', params),
};

/** The current route: its path and its parameters. */
function current() {
  const raw = location.hash.slice(1) || '/';
  const q = raw.indexOf('?');
  return {
    path: q < 0 ? raw : raw.slice(0, q),
    params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
  };
}

let shown = null; // the URL the page shows now

/** Puts a view's new state in the URL without showing the view again.
 * push: a new history entry (back undoes it); else the entry is replaced
 * (for typing, where each letter is no step worth going back to). */
export function setState(hash, push = false) {
  const url = location.pathname + location.search + hash;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  shown = location.href;
}

/** Shows the view of the current URL now and whenever it changes.
 * routes: [[/^\/articles\/([^/]+)$/, view], ...]; show(view, args, params)
 * gets the matched groups, decoded, and the query parameters. */
export function startRouter(routes, show) {
  const go = () => {
    if (location.href === shown) return; // our own setState, or no change
    shown = location.href;
    const { path, params } = current();
    for (const [pattern, view] of routes) {
      const m = pattern.exec(path);
      if (!m) continue;
      let args = null;
      try {
        args = m.slice(1).map(decodeURIComponent);
      } catch {
        /* a malformed %-escape: no such page */
      }
      show(args ? view : null, args ?? [], params);
      return;
    }
    show(null, [], params);
  };
  addEventListener('hashchange', go);
  addEventListener('popstate', go);
  go();
}
