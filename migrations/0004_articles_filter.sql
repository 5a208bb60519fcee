-- 0004_articles_filter.sql: the columns the article filters read, by id,
-- in an index a tenth the size of the table.  A search checks the filters
-- of every match before it ranks them; through this index that is a lookup
-- in a few pages that stay cached rather than in the table's rows.

CREATE INDEX articles_filter ON articles (id, published, updated_at, source, language);
