// official.js - one official: latest title and organization, quotes over
// time, and every quote with a link to its article.
//
// API: GET /v1/officials/{slug}
//      GET /v1/timeline?of=quotes&official={slug}&interval=month
//      GET /v1/officials/{slug}/quotes (paged, newest first)

import { Pager, get } from './api.js';
import { timeChart } from './chart.js';
import { dateEl, h } from './dom.js';
import { link } from './router.js';
import { counted, pagedList, setTitle } from './ui.js';

function quoteItem(q) {
  return h('li', {},
    h('blockquote', { class: q.kind }, q.text),
    h('p', { class: 'meta' },
      q.title ? `As ${q.title}, in ` : 'In ',
      h('a', { href: link.article(q.article.slug) }, q.article.title),
      ', ', dateEl(q.article.published)));
}

export async function officialView(main, { args: [id], signal }) {
  const path = `/v1/officials/${encodeURIComponent(id)}`;
  const [o, timeline] = await Promise.all([
    get(path, {}, signal),
    get('/v1/timeline', { of: 'quotes', official: id, interval: 'month' }, signal),
  ]);
  setTitle(o.name);
  const org = o.organization;
  main.append(
    h('h1', { tabindex: -1 }, o.name),
    h('p', { class: 'lead' }, o.title || 'No title known',
      org ? [', ', h('a', { href: link.search({ organization: org.slug }) }, org.name)] : '',
      org?.parent ? [', ', h('a', { href: link.search({ organization: org.parent.slug }) }, org.parent.name)] : ''),
    h('p', { class: 'meta' },
      `${counted(o.quote_count, 'quotes')} in ${counted(o.article_count, 'articles')}`,
      o.first_seen ? [', from ', dateEl(o.first_seen), ' to ', dateEl(o.last_seen)] : '',
      ' · ', h('a', { href: link.search({ official: o.slug }) }, 'articles quoting them')),
    h('section', { 'aria-labelledby': 'timeline-h' },
      h('h2', { id: 'timeline-h' }, 'Quotes over time'),
      timeline.data.length
        ? timeChart({
          caption: `Quotes by ${o.name} per month`,
          periods: timeline.data.map((d) => d.period),
          series: [{ name: 'Quotes', counts: timeline.data.map((d) => d.count) }],
        })
        : h('p', {}, 'No quotes yet.')),
    h('section', { 'aria-labelledby': 'quotes-h' },
      h('h2', { id: 'quotes-h' }, 'Quotes'),
      pagedList({
        pager: new Pager(`${path}/quotes`, { limit: 20, fields: 'kind,text,title,article' }, true),
        renderItem: quoteItem, label: `Quotes by ${o.name}`, noun: 'quotes', signal,
      })));
}
