// article.js - one article: its text with each quote marked and its speaker
// named, its themes and the officials it quotes.
//
// API: GET /v1/articles/{slug}?include=officials
// Each quote has start/end: code-point offsets of the quote in the body, or
// null when unknown. Then the page looks for the quote's text in the body,
// and a quote found nowhere is still listed below the text.

import { get } from './api.js';
import { h, webUrl } from './dom.js';
import { link } from './router.js';
import { byline, officialLink, roleAfterName, setTitle, themeList } from './ui.js';

/** Where each quote is in the body, in code points: [{start, end, quote}],
 * in order, without overlaps (a quote overlapping an earlier one is left
 * unmarked). */
function locate(chars, body, quotes) {
  const spans = [];
  for (const quote of quotes) {
    let { start, end } = quote;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= chars.length)) {
      const at = quote.text ? body.indexOf(quote.text) : -1;
      if (at < 0) continue;
      start = [...body.slice(0, at)].length;
      end = start + [...quote.text].length;
    }
    spans.push({ start, end, quote });
  }
  spans.sort((a, b) => a.start - b.start);
  return spans.filter((s, i) => i === 0 || s.start >= spans[i - 1].end);
}

/** The body as <p> elements, the located quotes as <mark>s followed by a
 * link to their speaker. Paragraphs are separated by blank lines. */
function bodyParagraphs(body, spans) {
  const chars = [...body];
  const paragraphs = [[]];
  // adds text to the paragraphs, starting new ones at blank lines; wrap
  // turns each piece into the element that holds it
  const add = (text, wrap = (t) => t) => {
    text.split(/\n[ \t]*\n\s*/).forEach((piece, i) => {
      if (i > 0) paragraphs.push([]);
      if (piece) paragraphs[paragraphs.length - 1].push(wrap(piece));
    });
  };
  let pos = 0;
  for (const { start, end, quote } of spans) {
    add(chars.slice(pos, start).join(''));
    add(chars.slice(start, end).join(''),
      (t) => h('mark', { class: `quote ${quote.kind === 'direct' ? 'direct' : 'indirect'}` }, t));
    paragraphs[paragraphs.length - 1].push(' ',
      officialLink(quote.official, { class: 'speaker', 'aria-label': `quote by ${quote.official.name}` }));
    pos = end;
  }
  add(chars.slice(pos).join(''));
  return paragraphs.filter((p) => p.length).map((p) => h('p', {}, p));
}

/** A quote in the list below the text. */
function quoteItem(quote, marked) {
  return h('li', {},
    h('blockquote', { class: quote.kind }, quote.text),
    h('p', { class: 'meta' },
      officialLink(quote.official),
      roleAfterName(quote.title, quote.organization),
      ` · ${quote.kind === 'direct' ? 'direct' : 'reported'} speech`,
      marked ? '' : ' · not marked in the text (its place is unknown)'));
}

export async function articleView(main, { args: [id], signal }) {
  const a = await get(`/v1/articles/${encodeURIComponent(id)}`, { include: 'officials' }, signal);
  setTitle(a.title);
  const body = a.body ?? '';
  const quotes = a.quotes ?? [];
  const spans = locate([...body], body, quotes);
  const marked = new Set(spans.map((s) => s.quote));
  const url = webUrl(a.url);

  main.append(h('article', { class: 'article', lang: a.language || null },
    h('header', {},
      h('h1', { tabindex: -1 }, a.title),
      h('p', { class: 'meta' }, byline(a),
        url ? [' · ', h('a', { href: url, rel: 'noopener noreferrer' }, 'original article')] : ''),
      themeList(a.themes)),
    h('div', { class: 'body' }, bodyParagraphs(body, spans)),
    a.officials?.length ? h('section', { 'aria-labelledby': 'officials-h' },
      h('h2', { id: 'officials-h' }, 'Officials quoted'),
      h('ul', { class: 'officials' }, a.officials.map((o) => h('li', {},
        officialLink(o), roleAfterName(o.title, o.organization))))) : null,
    quotes.length ? h('section', { 'aria-labelledby': 'quotes-h' },
      h('h2', { id: 'quotes-h' }, 'Quotes'),
      h('ol', { class: 'quotes' }, quotes.map((q) => quoteItem(q, marked.has(q))))) : null,
    h('p', {}, h('a', { href: link.search() }, '← All articles'))));
}
