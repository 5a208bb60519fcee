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

/** Private-use characters the API is asked to put around matched words
 * (highlight_start/highlight_end), since they never occur in real text. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/** Text with MARK_OPEN...MARK_CLOSE runs as <mark> elements, the rest as text. */
export function highlighted(text) {
  const out = document.createDocumentFragment();
  for (const [i, part] of text.split(new RegExp(`[${MARK_OPEN}${MARK_CLOSE}]`)).entries())
    if (part) out.append(i % 2 ? h('mark', {}, part) : part);
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
