-- 0007_article_ids_kept.sql: an article's id is never given to another.
-- SQLite gives a new row the highest id plus one, so deleting the newest
-- article freed its id for the next one, and a client that kept copies by
-- id could take one article for another.  The highest id ever deleted is
-- kept in meta; a new article is numbered after it (src/store/sqlite/
-- write.c).

CREATE TRIGGER articles_deleted_id AFTER DELETE ON articles BEGIN
    INSERT INTO meta (key, value) VALUES ('articles_deleted_id', OLD.id)
    ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), OLD.id);
END;
