// A straightforward Node.js peer for the benchmark: fastify and
// better-sqlite3 with prepared statements, answering the same four
// requests as gazette (same paths, same shapes) from the same SQLite file.
// usage: node server.mjs DB EXTENSION PORT
import Fastify from "fastify";
import Database from "better-sqlite3";

const [dbPath, extension, port] = process.argv.slice(2);
const db = new Database(dbPath, { readonly: true, fileMustExist: true });
db.loadExtension(extension); // the full-text index's tokenizer

const article = db.prepare(`
  SELECT a.id, a.slug, a.title, a.published, a.source, a.url, a.language, a.summary,
         b.body, a.created_at, a.updated_at
  FROM articles a JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?`);
const themesOf = db.prepare(`
  SELECT t.slug, t.name FROM article_themes at JOIN themes t ON t.id = at.theme_id
  WHERE at.article_id = ? ORDER BY at.score DESC, t.slug`);
const quotesOf = db.prepare(`
  SELECT q.id, q.kind, q.text, q.start, q."end" AS end, q.title,
         o.id AS oid, o.slug AS oslug, o.name AS oname,
         g.id AS gid, g.slug AS gslug, g.name AS gname,
         p.id AS pid, p.slug AS pslug, p.name AS pname
  FROM quotes q JOIN officials o ON o.id = q.official_id
  LEFT JOIN organizations g ON g.id = q.organization_id
  LEFT JOIN organizations p ON p.id = g.parent_id
  WHERE q.article_id = ? ORDER BY q.start, q.id`);
const newestOfTheme = db.prepare(`
  SELECT a.id, a.slug, a.title, a.published, a.source, a.url, a.language, a.summary,
         a.created_at, a.updated_at
  FROM articles a JOIN article_themes at ON at.article_id = a.id
  JOIN themes t ON t.id = at.theme_id
  WHERE t.slug = ? ORDER BY a.published DESC, a.id DESC LIMIT ?`);
const search = db.prepare(`
  SELECT a.id, a.slug, a.title, a.published, a.source, a.url, a.language, a.summary,
         a.created_at, a.updated_at, -bm25(articles_fts, 10.0, 1.0) AS score,
         snippet(articles_fts, -1, '<mark>', '</mark>', '…', 24) AS snippet
  FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH ? AND a.published >= ?
  ORDER BY bm25(articles_fts, 10.0, 1.0) LIMIT ?`);
const facetThemes = db.prepare(`
  SELECT t.slug AS value, t.name, count(*) AS count
  FROM article_themes at JOIN themes t ON t.id = at.theme_id
  GROUP BY at.theme_id ORDER BY count DESC, t.slug LIMIT ?`);

function org(r, p) {
  if (r[p + "id"] === null) return null;
  return { id: r[p + "id"], slug: r[p + "slug"], name: r[p + "name"] };
}

function fullArticle(id) {
  const a = article.get(id);
  if (!a) return null;
  a.themes = themesOf.all(id);
  a.quotes = quotesOf.all(id).map((r) => {
    const g = org(r, "g");
    if (g) g.parent = org(r, "p");
    return {
      id: r.id, kind: r.kind, text: r.text, start: r.start, end: r.end,
      official: { id: r.oid, slug: r.oslug, name: r.oname },
      title: r.title, organization: g,
    };
  });
  return a;
}

const app = Fastify({ logger: false });

app.get("/v1/articles/:id", async (req, reply) => {
  const a = fullArticle(Number(req.params.id));
  if (!a) return reply.code(404).send({ status: 404, title: "Not Found" });
  return a;
});

app.get("/v1/articles", async (req) => {
  const rows = newestOfTheme.all(String(req.query.theme), Number(req.query.limit ?? 20));
  for (const r of rows) r.themes = themesOf.all(r.id);
  return { data: rows, next_cursor: null };
});

app.get("/v1/search", async (req, reply) => {
  // each word as a quoted FTS5 string, as gazette does
  const words = String(req.query.q).split(/\s+/).filter(Boolean);
  const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(" AND ");
  try {
    const rows = search.all(match, String(req.query.from ?? "0000-00-00"),
                            Number(req.query.limit ?? 20));
    for (const r of rows) r.themes = themesOf.all(r.id);
    return { data: rows, next_cursor: null };
  } catch (e) {
    return reply.code(400).send({ status: 400, title: "Bad Request", detail: e.message });
  }
});

app.get("/v1/facets", async (req) => ({
  field: "theme",
  data: facetThemes.all(Number(req.query.limit ?? 20)),
}));

await app.listen({ host: "127.0.0.1", port: Number(port) });
