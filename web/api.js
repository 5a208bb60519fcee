// api.js - the page's only way to the gazette API.
//
// The page reads the public v1 API and nothing else. It is served by gazette
// itself (then the API is on the same origin), or by any static server, with
// the API named in the page's query string: /?api=http://127.0.0.1:8090
// (gazette must then allow that origin: gazette serve --cors-origin ...).

/** Where the API is: ?api= when it is an http(s) URL, else this page's origin. */
export const apiBase = (() => {
  const given = new URLSearchParams(location.search).get('api');
  if (given) {
    try {
      const url = new URL(given);
      if (url.protocol === 'http:' || url.protocol === 'https:')
        return url.href.replace(/\/+$/, '');
    } catch {
      /* not a URL: use the page's own origin */
    }
  }
  return location.origin;
})();

/** How long a request may take before the page gives up on it. */
export const TIMEOUT_S = 20;

/** A failed request; message is what to show (the problem's detail). */
export class ApiError extends Error {
  constructor(message, status = 0, problem = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The URL of an API path with query parameters; empty values are left out
 * and arrays become comma lists (which the API reads as OR). */
export function apiUrl(path, params = {}) {
  const url = new URL(apiBase + path);
  for (const [name, value] of Object.entries(params)) {
    const v = Array.isArray(value) ? value.join(',') : value;
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(name, String(v));
  }
  return url.href;
}

/** GETs path and answers the parsed JSON. Throws ApiError with the problem's
 * detail when the API says no, or a plain message when it cannot be reached;
 * an AbortError passes through untouched. */
export async function get(path, params = {}, signal = undefined) {
  // an API that does not answer in time is an error to show, not a page
  // that waits for ever
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_S * 1000);
  const both = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  const late = () => new ApiError(`The API at ${apiBase} did not answer within ${TIMEOUT_S} seconds.`);
  try {
    let res;
    try {
      res = await fetch(apiUrl(path, params), { signal: both, headers: { Accept: 'application/json' } });
    } catch (err) {
      if (timeout.signal.aborted && !signal?.aborted) throw late();
      if (err.name === 'AbortError') throw err;
      throw new ApiError(`The API at ${apiBase} could not be reached.`);
    }
    let body = null;
    try {
      body = await res.json();
    } catch (err) {
      if (timeout.signal.aborted && !signal?.aborted) throw late();
      if (err.name === 'AbortError') throw err;
    }
    if (!res.ok)
      throw new ApiError(body?.detail || `${res.status} ${res.statusText}`, res.status, body);
    return body;
  } finally {
    clearTimeout(timer);
  }
}

/** Walks a list endpoint page by page through the keyset cursor. */
export class Pager {
  /** count: ask for the exact total with the first page. */
  constructor(path, params, count = false) {
    this.path = path;
    this.params = params;
    this.count = count;
    this.cursor = null;
    this.done = false;
  }

  /** The next page's envelope ({data, next_cursor, total?}). The total is
   * asked for on the first page only: later pages would count again. */
  async next(signal) {
    const params = this.cursor
      ? { ...this.params, cursor: this.cursor }
      : { ...this.params, count: this.count ? 'true' : undefined };
    const page = await get(this.path, params, signal);
    this.cursor = page.next_cursor;
    this.done = !page.next_cursor;
    return page;
  }
}

/** Every row of a list, up to maxPages pages of 100 (for the filter menus). */
export async function getAll(path, params = {}, signal = undefined, maxPages = 10) {
  const pager = new Pager(path, { ...params, limit: 100 });
  const rows = [];
  for (let i = 0; i < maxPages && !pager.done; i++) rows.push(...(await pager.next(signal)).data);
  return rows;
}
