// dom.js - building elements.
//
// Text from the API enters the page only as text nodes and attribute values,
// never as markup: whatever an article or a name holds ("<script>", "<img
// onerror=...>") is shown as the characters it is and cannot run.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, props, children) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity))
    if (child !== undefined && child !== null && child !== false)
      el.append(child instanceof Node ? child : String(child));
  return el;
}

/** An HTML element: h('a', {href: '#/'}, 'text', otherNode, [more]).
 * Props that are functions are event listeners (onclick: fn); the others are
 * attributes (true: present, false/null/undefined: left out). Strings among
 * the children become text nodes. */
export const h = (tag, props, ...children) => build(document.createElement(tag), props, children);

/** The same for SVG elements (presentation attributes only: the page's
 * Content-Security-Policy allows no inline styles). */
export const svg = (tag, props, ...children) =>
  build(document.createElementNS(SVG_NS, tag), props, children);

let lastId = 0;
/** A fresh id for aria-labelledby, label for= and the like. */
export const uid = (prefix) => `${prefix}-${++lastId}`;

// The five entities the API writes in a search snippet's text (docs/api.md),
// decoded in one pass: "&amp;lt;" is the text "&lt;", never "<".
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (s) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);

/** A search snippet with the API's default markers, an HTML fragment whose
 * text is escaped and whose matches are <mark>...</mark>, as text nodes and
 * <mark> elements. No innerHTML: the literal strings "<mark>" and "</mark>"
 * can only be the API's (a "<" in the article arrives as "&lt;"), and the
 * pieces between them become text. */
export function highlighted(html) {
  const out = document.createDocumentFragment();
  let inMark = false;
  for (const part of html.split(/(<\/?mark>)/)) {
    if (part === '<mark>' || part === '</mark>') inMark = part === '<mark>';
    else if (part) out.append(inMark ? h('mark', {}, unescapeHtml(part)) : unescapeHtml(part));
  }
  return out;
}

const dateFormat = new Intl.DateTimeFormat('en', {
  day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
});

/** <time> for a YYYY-MM-DD date, written out ("18 January 2023"). */
export function dateEl(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return h('time', { datetime: iso }, Number.isNaN(d.getTime()) ? iso : dateFormat.format(d));
}

/** url when it is an http(s) link, else null (no javascript: from data). */
export function webUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
