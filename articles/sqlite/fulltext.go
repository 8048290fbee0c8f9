package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// fullTextSchema is the schema version from which full texts are kept.
const fullTextSchema = 7

// FullText implements articles.FullTextStore. What was kept is
// sanitised again on the way out, as an article's body is.
func (s *Store) FullText(ctx context.Context, id string) (articles.FullText, bool, error) {
	n, err := parseID(id)
	if err != nil || s.noFullText {
		return articles.FullText{}, false, nil
	}
	var ft articles.FullText
	var at int64
	err = s.db.QueryRowContext(ctx, `SELECT body, fetched_at, error FROM full_text WHERE article_id = ?`, n).
		Scan(&ft.Body, &at, &ft.Err)
	if errors.Is(err, sql.ErrNoRows) {
		return ft, false, nil
	}
	if err != nil {
		return ft, false, s.wrap("read the full text of article "+id+" from", err)
	}
	ft.Fetched = unix(at)
	return ft.Sanitized(), true, nil
}

// SaveFullText implements articles.FullTextStore. An article gone since
// its page was fetched is no error: there is nothing to keep it with.
func (s *Store) SaveFullText(ctx context.Context, id string, ft articles.FullText) error {
	n, err := parseID(id)
	if err != nil {
		return err
	}
	ft = ft.Sanitized()
	_, err = s.exec(ctx, fmt.Sprintf("keep the full text of article %s in", id),
		`INSERT INTO full_text (article_id, body, fetched_at, error)
		SELECT id, ?, ?, ? FROM articles WHERE id = ?
		ON CONFLICT (article_id) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at, error = excluded.error`,
		ft.Body, unixOrZero(ft.Fetched), ft.Err, n)
	return err
}

var _ articles.FullTextStore = (*Store)(nil)

// WithoutFullText returns up to limit of the newest articles of the feed
// at feedURL that have a link and nothing kept of their page: their ID
// and Link, for a refresh to fetch.
func (s *Store) WithoutFullText(ctx context.Context, feedURL string, limit int) ([]articles.Article, error) {
	if s.noFullText {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.link FROM articles a JOIN feeds f ON f.id = a.feed_id
		LEFT JOIN full_text t ON t.article_id = a.id
		WHERE f.url = ? AND a.link != '' AND t.article_id IS NULL
		ORDER BY a.published DESC, a.id DESC LIMIT ?`, feedURL, limit)
	if err != nil {
		return nil, s.wrap("read the articles without full text from", err)
	}
	defer rows.Close()
	var out []articles.Article
	for rows.Next() {
		var id int64
		var a articles.Article
		if err := rows.Scan(&id, &a.Link); err != nil {
			return nil, s.wrap("read the articles without full text from", err)
		}
		a.ID = strconv.FormatInt(id, 10)
		a.Link = termsafe.Line(a.Link)
		out = append(out, a)
	}
	return out, s.wrap("read the articles without full text from", rows.Err())
}
