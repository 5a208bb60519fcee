-- 0010_fts_marks.sql: the full-text indexes read again with the gazette
-- tokenizer as it now is, which keeps combining marks inside words
-- (src/store/sqlite/tokenizer.c): before, a Hindi, Bengali or Arabic word
-- was cut at each vowel sign, and its pieces matched other words.  The
-- indexes take their text from the tables, so a rebuild is all it takes;
-- it reads every article and quote once.

INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');
