// ui.js - pieces the views share: errors, theme and official links, the
// title of a view, and lists that load page after page.

import { dateEl, h } from './dom.js';
import { link } from './router.js';

/** Sets the document's title for a view. */
export function setTitle(text) {
  document.title = text ? `${text} · gazette` : 'gazette';
}

/** "1 article", "3 articles": a number and its noun, singular for one.
 * noun is the plural; its singular is the noun without its last "s". */
export function counted(n, noun) {
  return `${n} ${n === 1 ? noun.replace(/s$/, '') : noun}`;
}

/** An alert that says what went wrong: the API's problem detail, or the
 * error's own message. */
export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' },
    h('p', {}, h('strong', {}, err.status ? `Error ${err.status}: ` : 'Error: '), err.message));
}

/** "Economic Forecast Department, National Planning Agency" */
function orgName(org) {
  return org ? [org.name, org.parent?.name].filter(Boolean).join(', ') : '';
}

/** ", director, Economic Forecast Department, National Planning Agency" to
 * put after a name; '' when neither title nor organization is known. */
export function roleAfterName(title, org) {
  const role = [title, orgName(org)].filter(Boolean).join(', ');
  return role ? `, ${role}` : '';
}

/** An article's date and source, as the start of a .meta line. */
export function byline(article) {
  return [dateEl(article.published), article.source ? ` · ${article.source}` : ''];
}

/** A list of theme links, each to the articles of that theme. */
export function themeList(themes, label = 'Themes') {
  if (!themes?.length) return null;
  return h('ul', { class: 'tags', 'aria-label': label },
    themes.map((t) => h('li', {}, h('a', { href: link.search({ theme: t.slug }) }, t.name))));
}

/** A link to an official's page. */
export function officialLink(official, props = {}) {
  return h('a', { ...props, href: link.official(official.slug) }, official.name);
}

/** A list filled page by page from a Pager: the first page now, the next
 * ones with a "Load more" button, and a status line saying how many are
 * shown. noun is plural ("articles"). renderItem(row) answers one <li>. Answers the element to place. */
export function pagedList({ pager, renderItem, label, noun, signal }) {
  const status = h('p', { class: 'status', role: 'status' });
  const list = h('ol', { class: 'items', 'aria-label': label });
  const problem = h('div');
  const more = h('button', { type: 'button', class: 'more', hidden: true }, `Load more ${noun}`);
  let shown = 0;
  let total = null;

  async function load() {
    more.disabled = true;
    problem.replaceChildren();
    status.textContent = 'Loading…';
    try {
      const page = await pager.next(signal);
      total = page.total ?? total;
      const items = page.data.map(renderItem);
      list.append(...items);
      shown += items.length;
      status.textContent = shown === 0 ? `No ${noun} found.`
        : total !== null ? `Showing ${shown} of ${counted(total, noun)}.` : `Showing ${counted(shown, noun)}.`;
      more.hidden = pager.done;
      return items;
    } catch (err) {
      if (err.name === 'AbortError') return [];
      status.textContent = '';
      problem.append(errorBox(err));
      return [];
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', async () => {
    // keyboard users go on from the first new item, not from the button
    const [first] = await load();
    first?.querySelector('a')?.focus();
  });
  load();
  return h('div', { class: 'paged' }, status, list, problem, more);
}
