-- 0011_official_counts_by_steps.sql: a quote deleted takes one off its
-- official's quote count, and one off the article count when it was the
-- official's last quote in its article, as a quote inserted adds them.
-- The trigger counted all of the official's quotes and their articles
-- again instead, for every quote deleted: at 200,000 articles, deleting
-- or rewriting an article that quotes the most quoted official (260,000
-- quotes) three times took 60-90 ms.  The first and last dates are still
-- read again, as the first and last entries of the official's index.

DROP TRIGGER quotes_count_del;
CREATE TRIGGER quotes_count_del AFTER DELETE ON quotes BEGIN
    UPDATE officials SET
        quote_count = quote_count - 1,
        article_count = article_count - NOT EXISTS (
            SELECT 1 FROM quotes
            WHERE article_id = OLD.article_id AND official_id = OLD.official_id),
        first_seen = (SELECT min(published) FROM quotes WHERE official_id = OLD.official_id),
        last_seen = (SELECT max(published) FROM quotes WHERE official_id = OLD.official_id),
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.official_id;
END;
