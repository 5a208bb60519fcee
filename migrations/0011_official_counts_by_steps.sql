-- 0011_official_counts_by_steps.sql: a quote deleted takes one off its
-- official's quote count, and one off the article count when it was the
-- official's last quote in its article, as a quote inserted adds them; a
-- quote moved by a merge does both, to the official it leaves and to the
-- one it joins.  The triggers counted all of the officials' quotes and
-- their articles again instead, for every quote: at 200,000 articles,
-- deleting an article that quotes the most quoted official (260,000
-- quotes) three times took 60-90 ms, and merging an official of 200
-- quotes into that one 6.8 s.  The first and last dates of an official a
-- quote leaves are still read again, as the first and last entries of the
-- official's index.

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

DROP TRIGGER quotes_count_upd;
CREATE TRIGGER quotes_count_upd AFTER UPDATE OF official_id ON quotes
WHEN NEW.official_id IS NOT OLD.official_id BEGIN
    UPDATE officials SET
        quote_count = quote_count + 1,
        article_count = article_count + NOT EXISTS (
            SELECT 1 FROM quotes
            WHERE article_id = NEW.article_id AND official_id = NEW.official_id
              AND id <> NEW.id),
        first_seen = min(coalesce(first_seen, NEW.published), NEW.published),
        last_seen = max(coalesce(last_seen, NEW.published), NEW.published),
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.official_id;

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
