-- 0005_names_without_case.sql: titles and names sort as a reader sorts
-- them, "alpha" before "Beta", not by their bytes ("Beta" first).  The
-- lists sorted by title or name order by the column COLLATE NOCASE (case
-- folded for ASCII letters), and these indexes keep that order, so that a
-- deep page still costs what the first does.

DROP INDEX articles_title;
CREATE INDEX articles_title ON articles (title COLLATE NOCASE, id);
DROP INDEX themes_name;
CREATE INDEX themes_name ON themes (name COLLATE NOCASE, id);
DROP INDEX organizations_name;
CREATE INDEX organizations_name ON organizations (name COLLATE NOCASE, id);
DROP INDEX officials_name;
CREATE INDEX officials_name ON officials (name COLLATE NOCASE, id);
