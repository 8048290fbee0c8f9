package sqlite

// migrations build the schema step by step; PRAGMA user_version records
// how many have run. Never edit a migration that has shipped: add one.
var migrations = []string{
	// 1: feeds, articles with their state, counters kept by triggers, and
	// the full-text index.
	`
CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT    NOT NULL UNIQUE,
	title         TEXT    NOT NULL DEFAULT '',
	etag          TEXT    NOT NULL DEFAULT '',
	last_modified TEXT    NOT NULL DEFAULT '',
	last_fetch    INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last attempt
	last_ok       INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last success
	last_error    TEXT    NOT NULL DEFAULT '',
	gone          INTEGER NOT NULL DEFAULT 0, -- answered 410: not polled again
	retry_after   INTEGER NOT NULL DEFAULT 0, -- unix seconds; not polled before
	total         INTEGER NOT NULL DEFAULT 0, -- articles, kept by triggers
	unread        INTEGER NOT NULL DEFAULT 0,
	starred       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
	id        INTEGER PRIMARY KEY,
	feed_id   INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	guid      TEXT    NOT NULL,
	title     TEXT    NOT NULL,
	link      TEXT    NOT NULL DEFAULT '',
	author    TEXT    NOT NULL DEFAULT '',
	source    TEXT    NOT NULL DEFAULT '',
	published INTEGER NOT NULL, -- unix seconds; the first-seen time if the feed gave none
	seen      INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last fetch that listed it
	body      TEXT    NOT NULL DEFAULT '',
	read      INTEGER NOT NULL DEFAULT 0,
	starred   INTEGER NOT NULL DEFAULT 0,
	UNIQUE (feed_id, guid)
);

-- The list is newest first; each filter has an index that keeps that order.
CREATE INDEX articles_published ON articles (published DESC, id DESC);
CREATE INDEX articles_unread ON articles (read, published DESC, id DESC);
CREATE INDEX articles_starred ON articles (starred, published DESC, id DESC);
CREATE INDEX articles_feed ON articles (feed_id, published DESC, id DESC);

CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
	UPDATE feeds SET total = total + 1, unread = unread + (NOT NEW.read), starred = starred + NEW.starred
	WHERE id = NEW.feed_id;
END;
CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
	UPDATE feeds SET total = total - 1, unread = unread - (NOT OLD.read), starred = starred - OLD.starred
	WHERE id = OLD.feed_id;
END;
CREATE TRIGGER articles_count_update AFTER UPDATE OF read, starred ON articles BEGIN
	UPDATE feeds SET unread = unread - (NOT OLD.read) + (NOT NEW.read), starred = starred - OLD.starred + NEW.starred
	WHERE id = NEW.feed_id;
END;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title, source, body,
	content = 'articles', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	-- A search is typed a letter at a time, so every query is a prefix.
	-- Without a prefix index FTS5 merges the lists of every word that
	-- starts so ("trad": trade, trader, trading…): 30 ms over 100,000
	-- articles; with one, 3 ms. Longer prefixes match few words.
	prefix = '1 2 3 4 5 6',
	-- Searches are prefix words ANDed, never phrases: no positions needed.
	-- Measured over 100,000 articles: 55 MB of index instead of 200 MB.
	detail = none
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id, NEW.title, NEW.source, NEW.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id, OLD.title, OLD.source, OLD.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id, OLD.title, OLD.source, OLD.body);
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id, NEW.title, NEW.source, NEW.body);
END;
`,
	// 2: read and starred marks waiting for their article (from an
	// imported state file, or saved from a damaged database), applied when
	// a refresh brings the article back; and a table of settings.
	`
CREATE TABLE marks (
	feed    TEXT    NOT NULL, -- the feed's URL
	guid    TEXT    NOT NULL,
	read    INTEGER NOT NULL DEFAULT 0,
	starred INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (feed, guid)
) WITHOUT ROWID;

-- The WHEN clause keeps the common case, no marks at all, to one lookup.
CREATE TRIGGER articles_marks AFTER INSERT ON articles WHEN EXISTS (SELECT 1 FROM marks) BEGIN
	UPDATE articles SET read = max(articles.read, m.read), starred = max(articles.starred, m.starred)
	FROM (SELECT read, starred FROM marks
		WHERE feed = (SELECT url FROM feeds WHERE id = NEW.feed_id) AND guid = NEW.guid) AS m
	WHERE articles.id = NEW.id;
	DELETE FROM marks WHERE feed = (SELECT url FROM feeds WHERE id = NEW.feed_id) AND guid = NEW.guid;
END;

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
`,
	// 3: new articles are indexed by the writer, all of a feed at once
	// (see upsertItems), not one by one by a trigger.
	`
DROP TRIGGER articles_fts_insert;
-- FTS5 writes its pending entries to disk whenever they pass hashsize,
-- 1 MB by default: a refresh of thousands of articles then wrote and
-- merged hundreds of small segments. 32 MB makes a few large ones.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
`,
	// 4: the index holds what articles.SearchText makes of the text, so
	// that a word inside a run of Chinese, Japanese or Korean characters
	// is found, and emoji are words. The index reads the articles through
	// a view that rewrites them (searchTextFunc, registered with the
	// driver), so its own check and rebuild see what it indexed. Built
	// again here from every article, once, at the first writable open
	// after the upgrade. Measured on 2 shared cores: 12-13 s for 100,000
	// English articles of 120 words, 68 s for 100,000 Chinese ones of
	// some 300 characters (a bigram a character), a few seconds for a
	// usual 10,000.
	`
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP TABLE articles_fts;

CREATE VIEW articles_search (id, title, source, body) AS
	SELECT id, ` + searchTextFunc + `(title), ` + searchTextFunc + `(source), ` + searchTextFunc + `(body) FROM articles;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title, source, body,
	content = 'articles_search', content_rowid = 'id',
	-- Words are what articles.Words makes them: letters, decimal digits
	-- and marks (Mn), not other numbers (², ①) or private-use characters;
	-- symbols (So) are words, and SearchText puts spaces around each.
	tokenize = "unicode61 remove_diacritics 2 categories 'L* Nd Mn So'",
	prefix = '1 2 3 4 5 6',
	detail = none
);
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(OLD.body));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(OLD.body));
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id,
		` + searchTextFunc + `(NEW.title), ` + searchTextFunc + `(NEW.source), ` + searchTextFunc + `(NEW.body));
END;
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
`,
	// 5: sync with a feed server. A feed or an article that came from
	// one carries the server's ID of it (NULL for those tidings fetches
	// itself); marks made here wait in sync_queue, one row an entry and
	// kind (the latest), until the server has them.
	`
ALTER TABLE feeds ADD COLUMN remote TEXT;
ALTER TABLE feeds ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN remote TEXT;
CREATE UNIQUE INDEX feeds_remote ON feeds (remote) WHERE remote IS NOT NULL;
CREATE UNIQUE INDEX articles_remote ON articles (remote) WHERE remote IS NOT NULL;

CREATE TABLE sync_queue (
	remote  TEXT    NOT NULL, -- the server's ID of the entry
	starred INTEGER NOT NULL, -- 1: a star or unstar; 0: read or unread
	value   INTEGER NOT NULL, -- read, or starred
	at      INTEGER NOT NULL, -- unix milliseconds when it was made
	PRIMARY KEY (remote, starred)
) WITHOUT ROWID;
`,
	// 6: synced articles that retention deleted here, so that a sync
	// does not bring them back while the server still keeps them.
	`
CREATE TABLE remote_gone (
	remote TEXT    PRIMARY KEY, -- the server's ID of the entry
	at     INTEGER NOT NULL     -- unix seconds when it was deleted here
) WITHOUT ROWID;
`,
	// 7: the full texts of articles, fetched from their web pages on
	// demand (or on every refresh of a feed that asks): the text, or why
	// there was none, kept until the article goes.
	`
CREATE TABLE full_text (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	body       TEXT    NOT NULL DEFAULT '', -- markdown, sanitised; empty when the fetch failed
	fetched_at INTEGER NOT NULL,            -- unix seconds
	error      TEXT    NOT NULL DEFAULT ''  -- why the fetch failed, one line
);
`,
	// 8: a second full-text index, of the fields a query names (title:,
	// author:, link:), with its columns (detail = column, no positions):
	// the first index keeps no columns, so a title: term had to check the
	// title of every article holding its word, and author: and link: every
	// article, at some 2.5 µs a row through a Go function: 250-500 ms over
	// 100,000 articles. Built here from every article, once, at the first
	// writable open after the upgrade (measured: see fieldsSchema).
	`
CREATE VIEW articles_fields_src (id, title, author, link) AS
	SELECT id, ` + searchTextFunc + `(title), ` + searchTextFunc + `(author), link FROM articles;

CREATE VIRTUAL TABLE articles_fields USING fts5 (
	title, author, link,
	content = 'articles_fields_src', content_rowid = 'id',
	tokenize = "unicode61 remove_diacritics 2 categories 'L* Nd Mn So'",
	prefix = '1 2 3',
	detail = column
);
CREATE TRIGGER articles_fields_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fields (articles_fields, rowid, title, author, link) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.author), OLD.link);
END;
CREATE TRIGGER articles_fields_update AFTER UPDATE OF title, author, link ON articles BEGIN
	INSERT INTO articles_fields (articles_fields, rowid, title, author, link) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.author), OLD.link);
	INSERT INTO articles_fields (rowid, title, author, link) VALUES (NEW.id,
		` + searchTextFunc + `(NEW.title), ` + searchTextFunc + `(NEW.author), NEW.link);
END;
INSERT INTO articles_fields (articles_fields, rank) VALUES ('hashsize', 8388608);
INSERT INTO articles_fields (articles_fields, rank) VALUES ('automerge', 16);
INSERT INTO articles_fields (articles_fields) VALUES ('rebuild');
`,
	// 9: one story once (see articles.StoryKeys). Each article carries
	// its keys, hashed (storyKey): 8-byte integers keep their indexes
	// small. Articles of different feeds that share a key are one story:
	// story is the ID of its first article (its lead, the row the lists
	// of several feeds show), NULL for an article no other feed has. When
	// the lead goes (its feed removed, retention), the next oldest copy
	// leads. Existing articles are keyed here and grouped after
	// (backfillStories), as new ones are.
	`
ALTER TABLE articles ADD COLUMN story INTEGER;
ALTER TABLE articles ADD COLUMN link_key INTEGER;
ALTER TABLE articles ADD COLUMN guid_key INTEGER;
ALTER TABLE articles ADD COLUMN title_key INTEGER;
UPDATE articles SET link_key = ` + storyKeyFunc + `('link', link), guid_key = ` + storyKeyFunc + `('guid', guid),
	title_key = ` + storyKeyFunc + `('title', title);
-- A lookup reads these indexes alone, never the rows: a feed that keeps
-- its links under new GUIDs has hundreds of articles of one link.
CREATE INDEX articles_link_key ON articles (link_key, feed_id, story) WHERE link_key IS NOT NULL;
CREATE INDEX articles_guid_key ON articles (guid_key, feed_id, story) WHERE guid_key IS NOT NULL;
CREATE INDEX articles_title_key ON articles (title_key, published, feed_id, story) WHERE title_key IS NOT NULL;
-- The copies of a story, and whether a feed has one; the lists find the
-- copies that are not leads (story != id), and count the unread ones,
-- here alone.
CREATE INDEX articles_story ON articles (story, feed_id, read) WHERE story IS NOT NULL;
-- The lists of all feeds walk the leads alone, newest first: checking
-- each row against the list of copies cost 40 ms at the end of 100,000.
CREATE INDEX articles_lead ON articles (published DESC, id DESC) WHERE story IS NULL OR story = id;
CREATE INDEX articles_lead_unread ON articles (read, published DESC, id DESC) WHERE story IS NULL OR story = id;
CREATE TRIGGER articles_story_lead AFTER DELETE ON articles WHEN OLD.story = OLD.id BEGIN
	UPDATE articles SET story = (SELECT min(id) FROM articles WHERE story = OLD.story) WHERE story = OLD.story;
END;
`,
	// 10: ignore rules (see ignore.go). ignored is 0 for an article
	// shown, else the number of the rule that hides it (1 for the first):
	// the lists and the feeds' counters leave those out. The leads'
	// partial indexes leave them out too, so the lists still walk one
	// index; the counters count what the lists show.
	`
ALTER TABLE articles ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;
DROP INDEX articles_lead;
DROP INDEX articles_lead_unread;
CREATE INDEX articles_lead ON articles (published DESC, id DESC) WHERE (story IS NULL OR story = id) AND ignored = 0;
CREATE INDEX articles_lead_unread ON articles (read, published DESC, id DESC) WHERE (story IS NULL OR story = id) AND ignored = 0;
CREATE INDEX articles_ignored ON articles (ignored) WHERE ignored != 0;

DROP TRIGGER articles_count_insert;
DROP TRIGGER articles_count_delete;
DROP TRIGGER articles_count_update;
CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
	UPDATE feeds SET total = total + (NOT NEW.ignored), unread = unread + (NOT NEW.read AND NOT NEW.ignored),
		starred = starred + NEW.starred
	WHERE id = NEW.feed_id;
END;
CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
	UPDATE feeds SET total = total - (NOT OLD.ignored), unread = unread - (NOT OLD.read AND NOT OLD.ignored),
		starred = starred - OLD.starred
	WHERE id = OLD.feed_id;
END;
CREATE TRIGGER articles_count_update AFTER UPDATE OF read, starred, ignored ON articles BEGIN
	UPDATE feeds SET total = total - (NOT OLD.ignored) + (NOT NEW.ignored),
		unread = unread - (NOT OLD.read AND NOT OLD.ignored) + (NOT NEW.read AND NOT NEW.ignored),
		starred = starred - OLD.starred + NEW.starred
	WHERE id = NEW.feed_id;
END;
`,
	// 11: bodies compressed (see body.go): the text a body holds is
	// tidings_body(body), never body. The index read the plain text
	// and reads the same text decoded, so it stays as it is; its triggers
	// are dropped while the bodies are rewritten, so that rewriting them
	// does not reindex every article. hash is itemHash of the fields a
	// feed last gave (NULL until the next refresh lists the article): an
	// item that has not changed is then only marked seen, without reading
	// or rewriting its text. The file is compacted after (see vacuumAfter).
	`
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP VIEW articles_search;

UPDATE articles SET body = ` + encodeBodyFunc + `(body) WHERE typeof(body) = 'text';
ALTER TABLE articles ADD COLUMN hash INTEGER;

CREATE VIEW articles_search (id, title, source, body) AS
	SELECT id, ` + searchTextFunc + `(title), ` + searchTextFunc + `(source), ` + searchTextFunc + `(` + bodyFunc + `(body)) FROM articles;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(` + bodyFunc + `(OLD.body)));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(` + bodyFunc + `(OLD.body)));
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id,
		` + searchTextFunc + `(NEW.title), ` + searchTextFunc + `(NEW.source), ` + searchTextFunc + `(` + bodyFunc + `(NEW.body)));
END;
`,
	// 12: the index of word pairs (see pairs.go), for phrases: one token
	// a pair of adjacent words, read through articles_search as the words
	// index reads the text. Its triggers read the text through the view
	// too, before a row changes or goes (the view cannot read it after),
	// so that they remove exactly what was indexed. Built here from every
	// article, once, at the first writable open after the upgrade.
	`
CREATE VIEW articles_pairs_src (id, pairs) AS
	SELECT id, ` + pairsFunc + `(title, source, body) FROM articles_search;

CREATE VIRTUAL TABLE articles_pairs USING fts5 (
	pairs,
	content = 'articles_pairs_src', content_rowid = 'id',
	tokenize = 'ascii',
	detail = none
);
CREATE TRIGGER articles_pairs_delete BEFORE DELETE ON articles BEGIN
	INSERT INTO articles_pairs (articles_pairs, rowid, pairs)
		SELECT 'delete', id, pairs FROM articles_pairs_src WHERE id = OLD.id;
END;
CREATE TRIGGER articles_pairs_unindex BEFORE UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_pairs (articles_pairs, rowid, pairs)
		SELECT 'delete', id, pairs FROM articles_pairs_src WHERE id = OLD.id;
END;
CREATE TRIGGER articles_pairs_reindex AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_pairs (rowid, pairs) SELECT id, pairs FROM articles_pairs_src WHERE id = NEW.id;
END;
INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('hashsize', 33554432);
INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('automerge', 16);
INSERT INTO articles_pairs (articles_pairs) VALUES ('rebuild');
`,
	// 13: the vocabularies of the words index and of the index of fields
	// (see vocab.go): a prefix longer than an index's prefix indexes is
	// searched as the words it stands for. Views of the indexes: nothing
	// is stored or built.
	`
CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab (articles_fts, 'row');
CREATE VIRTUAL TABLE articles_fields_vocab USING fts5vocab (articles_fields, 'row');
`,
	// 14: the words index reads each word of a field once (indexText):
	// what it finds is the same, and a refresh files about half the
	// entries. The index of pairs holds each pair of an article once,
	// leaves out words shorter than pairMin and writes its tokens so
	// that FTS5 files them fast (pairsText, appendBucket). It now reads
	// the text itself, in order: the view the words index reads has lost
	// it. Both are built again here from every article, once, at the
	// first writable open after the upgrade.
	`
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP VIEW articles_search;
CREATE VIEW articles_search (id, title, source, body) AS
	SELECT id, ` + indexTextFunc + `(title), ` + indexTextFunc + `(source), ` + indexTextFunc + `(` + bodyFunc + `(body)) FROM articles;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + indexTextFunc + `(OLD.title), ` + indexTextFunc + `(OLD.source), ` + indexTextFunc + `(` + bodyFunc + `(OLD.body)));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + indexTextFunc + `(OLD.title), ` + indexTextFunc + `(OLD.source), ` + indexTextFunc + `(` + bodyFunc + `(OLD.body)));
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id,
		` + indexTextFunc + `(NEW.title), ` + indexTextFunc + `(NEW.source), ` + indexTextFunc + `(` + bodyFunc + `(NEW.body)));
END;
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

DROP VIEW articles_pairs_src;
CREATE VIEW articles_pairs_src (id, pairs) AS
	SELECT id, ` + pairsFunc + `(` + searchTextFunc + `(title), ` + searchTextFunc + `(source), ` + searchTextFunc + `(` + bodyFunc + `(body))) FROM articles;
INSERT INTO articles_pairs (articles_pairs) VALUES ('rebuild');
`,
}
