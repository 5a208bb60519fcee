// End-to-end tests of the web page: the real gazette binary on a temporary
// database with the sample data, Debian's Chromium driven by playwright-core.
//
// Environment: GAZETTE_BIN (the built binary), GAZETTE_SOURCE_ROOT (the
// source tree: data/sample.ndjson and web/), GAZETTE_SCREENSHOTS (where the
// screenshots go; a temporary folder when unset).
//
// Two local servers, on free ports: gazette (API and page, origin A) and a
// tiny static server in this file that serves the same page from origin B,
// using the API on A through CORS. Every request the browser makes is
// intercepted: one to any other host or port fails the run.

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BIN = process.env.GAZETTE_BIN;
const ROOT = process.env.GAZETTE_SOURCE_ROOT;
assert.ok(BIN && ROOT, 'GAZETTE_BIN and GAZETTE_SOURCE_ROOT must be set');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-browser-'));
const shots = process.env.GAZETTE_SCREENSHOTS || path.join(tmp, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
console.log(`# screenshots: ${shots}`);

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1200, height: 900 };
const TIMEOUT = 10_000;

let gazette, gazetteLog = '', staticServer, context;
let api, pageB; // http://127.0.0.1:A (gazette), http://127.0.0.1:B (static)
const requests = []; // every URL the browser asked for
const foreign = []; // those that went anywhere but A and B

// ---------------------------------------------------------------- servers

/** Starts gazette serve on a free port; answers its base URL. */
function startGazette(db, corsOrigin) {
  gazette = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--no-access-log',
    '--threads', '2', '--cors-origin', corsOrigin], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gazette did not start:\n${gazetteLog}`)), TIMEOUT);
    gazette.stderr.on('data', (chunk) => {
      gazetteLog += chunk;
      const m = /msg="listening" url=(http:\/\/127\.0\.0\.1:\d+)\//.exec(gazetteLog);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    gazette.on('exit', (code) => reject(new Error(`gazette exited (${code}):\n${gazetteLog}`)));
  });
}

/** A static server of web/ laid out as gazette serves it: / is index.html,
 * /ui/NAME is web/NAME. Its Content-Security-Policy lets the page talk to
 * the API on the other origin and nowhere else. Answers its base URL. */
function startStatic(webDir, apiOrigin) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  staticServer = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    const name = pathname === '/' ? 'index.html' : /^\/ui\/([\w-][\w.-]*)$/.exec(pathname)?.[1];
    const file = name && path.join(webDir, name);
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': `${types[path.extname(file)] ?? 'application/octet-stream'}; charset=utf-8`,
      'Content-Security-Policy': `default-src 'self'; connect-src ${apiOrigin()}; img-src 'self' data:; style-src 'self'`,
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => staticServer.listen(0, '127.0.0.1',
    () => resolve(`http://127.0.0.1:${staticServer.address().port}`)));
}

before(async () => {
  const db = path.join(tmp, 'test.db');
  for (const file of [path.join(ROOT, 'data', 'sample.ndjson'), new URL('hostile.ndjson', import.meta.url).pathname])
    execFileSync(BIN, ['import', '--db', db, '--quiet', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  pageB = await startStatic(path.join(ROOT, 'web'), () => api);
  api = await startGazette(db, pageB);

  const allowed = new Set([new URL(api).host, new URL(pageB).host, `localhost:${new URL(pageB).port}`]);
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: DESKTOP,
  });
  context.setDefaultTimeout(TIMEOUT);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    requests.push(url);
    if (allowed.has(url.host)) return route.continue();
    foreign.push(url.href);
    return route.abort('blockedbyclient');
  });
});

// the tabs a failed test left open: a screenshot of each, to see why
afterEach(async (t) => {
  for (const page of tabs) {
    const name = `failed-${t.name.replace(/\W+/g, '-').slice(0, 40)}-${tabs.size}`;
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true }).catch(() => {});
    console.log(`# ${name}: ${page.url()}\n# ${page.problems.join('\n# ')}`);
    tabs.delete(page);
    await page.close();
  }
});

after(async () => {
  await context?.close();
  gazette?.kill('SIGTERM');
  staticServer?.close();
  fs.rmSync(path.join(tmp, 'profile'), { recursive: true, force: true });
  fs.rmSync(path.join(tmp, 'test.db'), { force: true });
});

// ---------------------------------------------------------------- helpers

const tabs = new Set(); // open tabs: a test that fails leaves its tabs open

/** A new tab at url; errors of the page and its console are kept in
 * page.problems, and checked by done(). */
async function open(url, viewport = DESKTOP) {
  const page = await context.newPage();
  tabs.add(page);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // a failed request is the network's report, not the page's fault
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      page.problems.push(`console: ${m.text()}`);
  });
  await page.setViewportSize(viewport);
  await page.bringToFront(); // the focused tab, as a reader's would be
  await page.goto(url);
  return page;
}

/** Closes the tab after checking it had no script or CSP errors. */
async function done(page, allowProblems = false) {
  const { problems } = page;
  tabs.delete(page);
  await page.close();
  if (!allowProblems) assert.deepEqual(problems, [], 'the page logged errors');
}

const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

/** The API's answer, read directly. */
const apiGet = async (p) => (await fetch(api + p)).json();
/** How many articles match the filters, by the API. */
const total = async (filters) => (await apiGet(`/v1/articles?count=true&limit=1&${filters}`)).total;

/** Waits until the result list says it shows something ("Showing ..."). */
async function results(page, text = /^Showing|^No /) {
  const status = page.locator('.results .status');
  await status.filter({ hasText: text }).waitFor();
  return status.textContent();
}

const titles = (page) => page.locator('.results .result h2').allTextContents();
const hashParams = (page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

/** Waits for the view to finish (main no longer aria-busy). */
async function ready(page) {
  await page.waitForFunction(() => !document.querySelector('main[aria-busy]') && document.querySelector('main h1'));
}

// ---------------------------------------------------------------- tests

test('browsing: the newest articles first, ten a page', async () => {
  const page = await open(`${api}/`);
  assert.equal(await results(page), 'Showing 10 of 25 articles.');
  const first = await page.locator('.results .result').first().textContent();
  assert.match(first, /Digital Economy Reaches 13% of Output/);
  await shot(page, 'search-browse');
  await done(page);
});

test('search: results as you type, ranked, with highlighted snippets', async () => {
  const page = await open(`${api}/`);
  await results(page);
  const before = requests.filter((u) => u.pathname === '/v1/search').length;
  await page.getByLabel('Search words').pressSequentially('productivity', { delay: 40 });
  await page.waitForFunction(() => document.querySelectorAll('.results .snippet mark').length > 0);
  await results(page, /^Showing \d+ of \d+ articles\.$/);
  const searches = requests.filter((u) => u.pathname === '/v1/search').length - before;
  assert.ok(searches >= 1 && searches <= 2, `debounced: ${searches} search requests for 12 letters`);
  const marks = await page.locator('.results .snippet mark').allTextContents();
  assert.ok(marks.every((m) => /^product/i.test(m)), `marks: ${marks}`);
  assert.equal(hashParams(page).get('q'), 'productivity');
  assert.match((await titles(page))[0], /Productivity/);
  await shot(page, 'search-typed');
  await done(page);
});

test('search: a snippet marks only the matched words; the rest of the text stays text', async () => {
  // the last paragraph of hostile.ndjson's body: the private-use characters
  // the page once asked the API to mark matches with (U+E001 before "fast",
  // U+E000 after it), a literal <mark>, entities, and markup that would run
  const para = 'A quokka\'s "check" \uE001 fast \uE000 <mark>nope</mark> &amp; &lt;b&gt; '
    + '<img src=x onerror="window.__pwned=5"> then the end.';
  const page = await open(`${api}/#/?q=quokka`);
  await results(page, 'Showing 1 of 1 article.'); // one, not "1 articles"
  const snippet = page.locator('.results .snippet');
  assert.deepEqual(await snippet.locator('mark').allTextContents(), ['quokka']);
  assert.ok((await snippet.textContent()).includes(para), await snippet.textContent());
  // one element in the snippet (the <mark>), and nothing from the text ran
  assert.equal(await snippet.locator('*').count(), 1);
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await done(page);
});

test('filters: theme, official, organization and dates narrow the results, and live in the URL', async () => {
  const page = await open(`${api}/`);
  await results(page);
  const n = await total('theme=public-finance');
  await page.getByLabel('Theme', { exact: true }).selectOption('public-finance');
  assert.equal(await results(page, `of ${n} articles`), `Showing ${n} of ${n} articles.`);
  for (const tags of await page.locator('.results .result .tags').allTextContents())
    assert.match(tags, /Public finance/);

  await page.getByLabel('From', { exact: true }).fill('2024-01-01');
  await page.getByLabel('To', { exact: true }).fill('2024-12-31');
  await results(page, `of ${await total('theme=public-finance&from=2024-01-01&to=2024-12-31')} articles`);
  for (const d of await page.locator('.results time').evaluateAll((ts) => ts.map((t) => t.dateTime)))
    assert.ok(d >= '2024-01-01' && d <= '2024-12-31', d);

  const novak = await total('theme=public-finance&from=2024-01-01&to=2024-12-31&official=lukasz-novak');
  assert.ok(novak > 0);
  await page.getByLabel('Official', { exact: true }).selectOption('lukasz-novak');
  await results(page, `of ${novak} articles`);
  assert.deepEqual(Object.fromEntries(hashParams(page)),
    { theme: 'public-finance', official: 'lukasz-novak', from: '2024-01-01', to: '2024-12-31' });

  // the same view after a reload, from the URL alone
  const before = await titles(page);
  await page.reload();
  await results(page, `of ${novak} articles`);
  assert.deepEqual(await titles(page), before);
  assert.equal(await page.getByLabel('Official', { exact: true }).inputValue(), 'lukasz-novak');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await results(page, /of 25 articles/);
  await page.getByLabel('Organization', { exact: true }).selectOption('national-planning-agency'); // and its departments
  const agency = await total('organization=national-planning-agency');
  assert.ok(agency > 0);
  await results(page, `of ${agency} articles`);
  await shot(page, 'search-filtered');
  await done(page);
});

test('filters: each choice is a step in the history, back undoes it; typing is not', async () => {
  const page = await open(`${api}/#/`);
  await results(page, /of 25 articles/);
  await page.getByLabel('Search words').fill('budget');
  await results(page, `of ${(await apiGet('/v1/search?q=budget&count=true')).total} articles`);
  await page.getByLabel('Theme', { exact: true }).selectOption('public-finance');
  const n = (await apiGet('/v1/search?q=budget&theme=public-finance&count=true')).total;
  await results(page, `of ${n} article`);
  await page.getByLabel('Official', { exact: true }).selectOption('lukasz-novak');
  await page.waitForFunction(() => location.hash.includes('official='));
  await page.goBack(); // undoes the official
  await results(page, `of ${n} article`);
  assert.deepEqual(Object.fromEntries(hashParams(page)), { q: 'budget', theme: 'public-finance' });
  assert.equal(await page.getByLabel('Official', { exact: true }).inputValue(), '');
  await page.goBack(); // and the theme; the typed words stay (typing replaced the entry)
  await results(page, `of ${(await apiGet('/v1/search?q=budget&count=true')).total} articles`);
  assert.deepEqual(Object.fromEntries(hashParams(page)), { q: 'budget' });
  assert.equal(await page.getByLabel('Theme', { exact: true }).inputValue(), '');
  await page.goForward();
  await results(page, `of ${n} article`);
  assert.equal(await page.getByLabel('Theme', { exact: true }).inputValue(), 'public-finance');
  await done(page);
});

test('load more: pages through the keyset cursor without repeats', async () => {
  const page = await open(`${api}/`);
  await results(page);
  const more = page.getByRole('button', { name: 'Load more articles' });
  await more.click();
  await results(page, 'Showing 20 of 25');
  assert.equal(hashParams(page).get('cursor'), null, 'the cursor is no part of the shared state');
  // focus goes on to the first new result
  assert.equal(await page.evaluate(() => document.activeElement.textContent),
    (await titles(page))[10]);
  await more.click();
  await results(page, 'Showing 25 of 25');
  assert.equal(await more.isHidden(), true);
  const all = await titles(page);
  assert.equal(new Set(all).size, 25);
  const dates = await page.locator('.results time').evaluateAll((ts) => ts.map((t) => t.dateTime));
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
  assert.ok(requests.some((u) => u.pathname === '/v1/articles' && u.searchParams.has('cursor')));
  await done(page);
});

test('errors: the API problem detail is shown', async () => {
  const page = await open(`${api}/#/?q=%22unclosed`);
  await page.getByRole('alert').filter({ hasText: 'a quotation mark is not closed' }).waitFor();
  const missing = await open(`${api}/#/officials/nobody`);
  await missing.getByRole('alert').filter({ hasText: 'no official named nobody' }).waitFor();
  await shot(missing, 'error-not-found');
  await done(page);
  await done(missing);
});

test('errors: a slow API is shown as loading, one that never answers as an error', async () => {
  const page = await open('about:blank');
  await page.route('**/v1/articles/**', () => {}); // never answered
  await page.clock.install();
  await page.goto(`${api}/#/articles/novak-presents-2025-budget`);
  await page.clock.runFor(1000);
  await page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor();
  await page.clock.runFor(20_000);
  await page.getByRole('alert').filter({ hasText: 'did not answer within 20 seconds' }).waitFor();
  assert.equal(await page.getByText('Loading…').count(), 0);
  await done(page);
});

test('article: body in paragraphs, each quote marked with its speaker, themes and officials as links', async () => {
  const slug = 'digital-economy-reaches-13-percent-of-output';
  const want = await apiGet(`/v1/articles/${slug}`);
  const page = await open(`${api}/#/?q=steelworks`);
  await results(page);
  await page.getByRole('link', { name: want.title }).click();
  await ready(page);
  assert.equal(await page.locator('h1').textContent(), want.title);
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
  assert.equal(await page.locator('.article .body p').count(), want.body.split('\n\n').length);
  assert.match(await page.locator('.article header .meta').textContent(), /December 12, 2024 · Valdoria Economic Weekly/);

  const marks = page.locator('.article .body mark.quote');
  assert.deepEqual(await marks.allTextContents(), want.quotes.map((q) => q.text));
  const speakers = await page.locator('.article .body a.speaker').allTextContents();
  assert.deepEqual(speakers, want.quotes.map((q) => q.official.name));

  const themes = await page.locator('.article header .tags a').allTextContents();
  assert.deepEqual(themes, want.themes.map((t) => t.name));
  const officials = page.locator('.officials a');
  assert.equal(await officials.count(), 3);
  await shot(page, 'article');

  await page.locator('.article header .tags').getByRole('link', { name: 'Economy', exact: true }).click();
  await results(page);
  assert.equal(hashParams(page).get('theme'), 'economy');
  await page.goBack();
  await ready(page);
  await page.locator('.officials').getByRole('link', { name: 'Zoë Marín' }).click();
  await page.locator('h1', { hasText: 'Zoë Marín' }).waitFor();
  await done(page);
});

test('article: quotes without offsets are found by their text, and API text never becomes markup', async () => {
  const page = await open(`${api}/#/?q=markup`);
  await results(page);
  const title = '<img src=x onerror="window.__pwned=1"> Markup <b>stays</b> text';
  assert.equal((await titles(page))[0], title);
  await page.getByRole('link', { name: 'Markup' }).first().click();
  await ready(page);
  assert.equal(await page.locator('h1').textContent(), title);
  assert.match(await page.locator('.article .body').textContent(), /<script>window.__pwned=4<\/script>/);
  assert.equal(await page.locator('main img, main script, main b, main em, main i, main u, main s').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // start/end are null: the first quote is found by its text, the second is nowhere
  assert.deepEqual(await page.locator('.article .body mark.quote').allTextContents(),
    ['the plan would <em>work</em> in time']);
  assert.match(await page.locator('.quotes li').nth(1).textContent(), /not marked in the text/);
  await shot(page, 'article-hostile');
  await done(page);
});

test('official: title and organization, quotes over time, every quote linked to its article', async () => {
  const want = await apiGet('/v1/officials/zoe-marin');
  const page = await open(`${api}/#/officials/zoe-marin`);
  await ready(page);
  assert.equal(await page.locator('h1').textContent(), 'Zoë Marín');
  assert.equal(await page.locator('.lead').textContent(),
    'director, Economic Forecast Department, National Planning Agency');
  const chart = page.locator('figure.chart svg[role="img"]');
  assert.equal(await chart.count(), 1);
  const points = await page.locator('figure.chart circle title').allTextContents();
  const total = points.reduce((n, t) => n + Number(t.split(': ')[1]), 0);
  assert.equal(total, want.quote_count, 'the chart counts every quote');
  await page.locator('.paged .status', { hasText: `Showing ${want.quote_count} of ${want.quote_count} quotes.` }).waitFor();
  const items = page.locator('.paged .items > li');
  assert.equal(await items.count(), want.quote_count);
  for (const item of await items.all())
    assert.match(await item.locator('a').getAttribute('href'), /^#\/articles\//);
  await shot(page, 'official');
  await items.first().locator('a').click();
  await page.locator('.article h1').waitFor();
  await done(page);
});

test('official: counts of one are singular', async () => {
  const page = await open(`${api}/#/officials/ada-i-quill-i`); // two quotes in one article
  await ready(page);
  assert.match(await page.locator('main > .meta').textContent(), /^2 quotes in 1 article,/);
  await page.locator('.paged .status', { hasText: 'Showing 2 of 2 quotes.' }).waitFor();
  await done(page);
});

test('dashboard: chart per theme, top officials, facets; the URL holds the state; back and forward', async () => {
  const page = await open(`${api}/#/dashboard?themes=economy,trade&top=economy`);
  await ready(page);
  const lines = page.locator('figure.chart polyline');
  await page.waitForFunction(() => document.querySelectorAll('figure.chart polyline').length === 2);
  assert.deepEqual(await page.locator('.legend li').allTextContents(), ['Economy', 'Trade']);
  // the economy line adds up to the theme's article count
  const economy = await apiGet('/v1/themes/economy');
  const counts = await page.locator('figure.chart tbody tr td:nth-child(2)').allTextContents();
  assert.equal(counts.reduce((n, c) => n + Number(c), 0), economy.article_count);

  const top = page.locator('section[aria-labelledby="top-h"] .bars li');
  await top.first().waitFor();
  assert.match(await top.first().textContent(), /Zoë Marín\s*4/);
  for (const label of ['Sources', 'Organizations quoted', 'Years'])
    await page.getByRole('list', { name: label }).waitFor();
  await shot(page, 'dashboard');

  await page.getByLabel(/^Health \(/).check();
  await page.waitForFunction(() => document.querySelectorAll('figure.chart polyline').length === 3);
  assert.equal(hashParams(page).get('themes'), 'economy,trade,health');
  const electionsTop = (await apiGet('/v1/facets?field=official&theme=elections&limit=1')).data[0].name;
  await page.getByLabel('Theme', { exact: true }).selectOption('elections');
  await top.first().filter({ hasText: electionsTop }).waitFor();
  assert.equal(hashParams(page).get('top'), 'elections');

  await page.reload();
  await ready(page);
  await page.waitForFunction(() => document.querySelectorAll('figure.chart polyline').length === 3);
  assert.equal(await page.getByLabel(/^Health \(/).isChecked(), true);
  assert.equal(await page.getByLabel('Theme', { exact: true }).inputValue(), 'elections');

  await page.goBack(); // undoes the top-officials choice
  await ready(page);
  assert.equal(hashParams(page).get('top'), 'economy');
  await page.goBack(); // and the health theme
  await ready(page);
  await page.waitForFunction(() => document.querySelectorAll('figure.chart polyline').length === 2);
  assert.equal(await lines.count(), 2);
  await page.goForward();
  await ready(page);
  await page.waitForFunction(() => document.querySelectorAll('figure.chart polyline').length === 3);
  await done(page);
});

test('dashboard: a facet cut at ten says how many values it left out and their count', async () => {
  const themes = 'economy,public-finance,artificial-intelligence';
  const want = await apiGet(`/v1/facets?field=organization&theme=${themes}&limit=10`);
  assert.ok(want.values > want.data.length, 'the sample has more than ten organizations here');
  const page = await open(`${api}/#/dashboard?themes=${themes}`);
  await ready(page);
  const orgs = page.locator('section[aria-label="Organizations quoted"]');
  await orgs.locator('.bars').waitFor();
  assert.equal(await orgs.locator('.bars li').count(), 10);
  assert.equal(await orgs.locator('.rest').textContent(),
    `and ${want.values - want.data.length} more, with ${want.other} between them`);
  // a facet with every value shown has no such line
  const years = page.locator('section[aria-label="Years"]');
  await years.locator('.bars').waitFor();
  assert.equal(await years.locator('.rest').count(), 0);
  await done(page);
});

test('keyboard: skip link, every control reachable, visible focus, operable without a mouse', async () => {
  let page = await open(`${api}/`);
  await results(page);
  const active = () => page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return {
      tag: el.tagName, name: el.labels?.[0]?.textContent ?? el.textContent.trim(),
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
      visible: rect.top >= 0 && rect.height > 0,
    };
  });
  await page.keyboard.press('Tab');
  assert.deepEqual(await active(), { tag: 'A', name: 'Skip to content', outline: true, visible: true });
  await page.keyboard.press('Enter');
  assert.equal((await active()).tag, 'MAIN');
  await page.keyboard.press('Tab');
  assert.equal((await active()).name, 'Search words');
  await page.keyboard.type('budget');
  await results(page, `of ${(await apiGet('/v1/search?q=budget&count=true')).total} articles`);

  // Tab walks through every filter to the first result, each with a visible focus ring
  const seen = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const a = await active();
    assert.equal(a.outline, true, `no visible focus on ${a.tag} ${a.name}`);
    if (seen.at(-1) !== a.name) seen.push(a.name); // a date field has a stop per part
    if (a.tag === 'A') break;
  }
  assert.deepEqual(seen.slice(0, 6), ['Theme', 'Official', 'Organization', 'From', 'To', 'Clear filters']);
  assert.match(seen.at(-1), /Budget/);
  await page.keyboard.press('Enter');
  await ready(page);
  assert.equal((await active()).tag, 'H1');

  await done(page);

  // the dashboard: a checkbox with Space, the select with the arrow keys
  page = await open(`${api}/#/dashboard?themes=economy`);
  await ready(page);
  await page.keyboard.press('Tab'); // from the top: skip link
  await page.keyboard.press('Enter'); // into main
  await page.keyboard.press('Tab'); // the first theme box
  assert.match((await active()).name, /^Economy \(/);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelectorAll('figure.chart polyline').length === 2);
  await page.getByLabel('Theme', { exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('top') !== 'economy');
  await done(page);
});

test('accessibility: labelled controls, landmarks, contrast of all text', async () => {
  const views = ['/', '/articles/novak-presents-2025-budget', '/officials/lukasz-novak', '/dashboard'];
  for (const view of views) {
    const page = await open(`${api}/#${view}`);
    await ready(page);
    await page.waitForFunction(() => !document.querySelector('[aria-busy]'));
    const report = await page.evaluate(() => {
      const unlabelled = [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML);
      const landmarks = ['header', 'nav', 'main', 'footer'].filter((t) => !document.querySelector(t));
      // WCAG relative luminance and contrast of each shown text on its background
      const rgb = (c) => c.match(/[\d.]+/g).map(Number);
      const lum = (c) => {
        const [r, g, b] = c.slice(0, 3).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const background = (el) => {
        for (; el; el = el.parentElement) {
          const c = rgb(getComputedStyle(el).backgroundColor);
          if (c.length < 4 || c[3] > 0) return c;
        }
        return [255, 255, 255];
      };
      const low = [];
      for (const el of document.querySelectorAll('body *')) {
        const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
        if (!text || !el.getClientRects().length || el.closest('title')) continue;
        const s = getComputedStyle(el);
        const fg = rgb(el instanceof SVGElement ? s.fill : s.color);
        const [hi, lo] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < 4.5) low.push(`${el.tagName} "${text.slice(0, 30)}": ${ratio.toFixed(2)}`);
      }
      return { unlabelled, landmarks, low, search: !!document.querySelector('[role="search"]') };
    });
    assert.deepEqual(report.unlabelled, [], `${view}: controls without a label`);
    assert.deepEqual(report.landmarks, [], `${view}: missing landmarks`);
    assert.deepEqual(report.low, [], `${view}: text below 4.5:1 contrast`);
    if (view === '/') assert.ok(report.search, 'the search form is a search landmark');
    await done(page);
  }
});

test('phone width: every view fits 375px without sideways scrolling', async () => {
  const views = [['/', 'search'], ['/?q=budget', 'search-results'], ['/articles/novak-presents-2025-budget', 'article'],
    ['/officials/lukasz-novak', 'official'], ['/dashboard?themes=economy,health', 'dashboard']];
  for (const [view, name] of views) {
    const page = await open(`${api}/#${view}`, PHONE);
    await ready(page);
    await page.waitForFunction(() => !document.querySelector('[aria-busy]'));
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll('main *')].map((e) => e.getBoundingClientRect().right)),
    }));
    assert.ok(widths.page <= PHONE.width && widths.widest <= PHONE.width, `${view}: ${JSON.stringify(widths)}`);
    await shot(page, `phone-${name}`);
    await done(page);
  }
});

test('phone width: words longer than the line break instead of widening the page', async () => {
  const long = 'Supercalifragilisticexpialidociousnessandmorewordsthatneverend';
  const article = {
    id: 999, slug: 'long-words', title: `${long} report`, published: '2024-07-07', source: long,
    url: null, language: 'en', summary: 'See', themes: [], quotes: [], officials: [],
    body: `See https://example.org/a/very/long/path/that/goes/on/and/on/without/any/break/index.html now.\n\n${long}.`,
  };
  const page = await open('about:blank', PHONE);
  await page.route('**/v1/articles/long-words?*', (route) => route.fulfill({ json: article }));
  await page.goto(`${api}/#/articles/long-words`);
  await ready(page);
  assert.equal(await page.locator('h1').textContent(), article.title);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= PHONE.width);
  await done(page);
});

test('another origin: the page from a static server uses the API through CORS', async () => {
  const page = await open(`${pageB}/?api=${encodeURIComponent(api)}#/`);
  await results(page, /of 25 articles/);
  await page.getByLabel('Search words').fill('budget');
  await results(page, `of ${(await apiGet('/v1/search?q=budget&count=true')).total} articles`);
  await page.locator('.results .result h2 a').first().click();
  await ready(page);
  assert.equal(new URL(page.url()).origin, pageB);
  assert.ok(requests.some((u) => u.origin === api && u.pathname.startsWith('/v1/articles/')));
  assert.match(await page.locator('footer').textContent(), new RegExp(api.replace(/\./g, '\\.')));
  await shot(page, 'other-origin');
  await done(page);

  // an origin gazette was not told to allow: the page says it cannot reach the API
  const denied = await open(`http://localhost:${new URL(pageB).port}/?api=${encodeURIComponent(api)}#/`);
  await denied.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
  await done(denied, true); // the browser logs the CORS refusal
});

test('no request went to any host but the two local ports', () => {
  assert.deepEqual(foreign, []);
  const hosts = new Set(requests.map((u) => u.host));
  assert.ok(hosts.has(new URL(api).host) && hosts.has(new URL(pageB).host), [...hosts].join(' '));
});
