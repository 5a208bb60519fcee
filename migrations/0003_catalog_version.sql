-- 0003_catalog_version.sql: a number that changes whenever the theme
-- catalog does (a theme added, removed, renamed or given other keywords),
-- by gazette or by hand, so that the catalog compiled for extraction can be
-- kept between writes.  Drawn at random rather than counted, so that two
-- databases never share one.

INSERT INTO meta (key, value) VALUES ('catalog_version', CAST(random() AS TEXT));

CREATE TRIGGER themes_catalog_ins AFTER INSERT ON themes BEGIN
    UPDATE meta SET value = CAST(random() AS TEXT) WHERE key = 'catalog_version';
END;
CREATE TRIGGER themes_catalog_upd AFTER UPDATE OF slug, name, keywords ON themes BEGIN
    UPDATE meta SET value = CAST(random() AS TEXT) WHERE key = 'catalog_version';
END;
CREATE TRIGGER themes_catalog_del AFTER DELETE ON themes BEGIN
    UPDATE meta SET value = CAST(random() AS TEXT) WHERE key = 'catalog_version';
END;
