-- 0008_officials_title_follows_quotes.sql: an official's title and
-- organization are those of the latest article that states them.  They
-- were only ever raised by a newer quote (write.c, put_quote), so when the
-- article that gave them was deleted or rewritten, or dated wrongly and
-- then corrected, the official kept them, and with them a date that no
-- later article could pass.  Now a quote that goes takes them back to what
-- the latest quote left states (none: null), when it was the one that gave
-- them (its date is the official's title_date; a correction by hand, whose
-- date is "YYYY-MM-DD corrected", stays).  A quote moved to another
-- official by a merge gives that official its title and organization when
-- it is not older than the ones it has, as a new quote does.

CREATE TRIGGER quotes_title_del AFTER DELETE ON quotes
WHEN OLD.title IS NOT NULL OR OLD.organization_id IS NOT NULL BEGIN
    UPDATE officials SET (title, organization_id, title_date) = (
        SELECT q.title, q.organization_id, q.published FROM quotes q
        WHERE q.official_id = OLD.official_id
          AND (q.title IS NOT NULL OR q.organization_id IS NOT NULL)
        ORDER BY q.published DESC, q.id DESC LIMIT 1)
    WHERE id = OLD.official_id AND title_date = OLD.published;
END;

CREATE TRIGGER quotes_title_upd AFTER UPDATE OF official_id ON quotes
WHEN NEW.title IS NOT NULL OR NEW.organization_id IS NOT NULL BEGIN
    UPDATE officials SET title = NEW.title, organization_id = NEW.organization_id,
        title_date = NEW.published
    WHERE id = NEW.official_id AND (title_date IS NULL OR title_date <= NEW.published);
END;

-- Officials whose title and organization came from an article since
-- deleted, or that were merged with a duplicate quoted later, get those of
-- their latest quote that states one (unless corrected by hand).
UPDATE officials SET (title, organization_id, title_date) = (
        SELECT q.title, q.organization_id, q.published FROM quotes q
        WHERE q.official_id = officials.id
          AND (q.title IS NOT NULL OR q.organization_id IS NOT NULL)
        ORDER BY q.published DESC, q.id DESC LIMIT 1),
    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE coalesce(title_date, '') NOT LIKE '% corrected'
  AND coalesce(title_date, '') <> coalesce((
        SELECT max(q.published) FROM quotes q
        WHERE q.official_id = officials.id
          AND (q.title IS NOT NULL OR q.organization_id IS NOT NULL)), '');
