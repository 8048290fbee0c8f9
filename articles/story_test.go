package articles

import "testing"

func TestStoryLink(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"https://news.example/a/b?utm_source=rss&utm_medium=x", "http://news.example/a/b"},
		{"HTTPS://WWW.News.Example:443/a/b/", "https://news.example/a/b#comments"},
		{"https://news.example:8080/a", "http://news.example:8080/a?fbclid=1&gclid=2&ref=hn&mc_cid=3&mc_eid=4"},
		{"https://news.example/a?id=4&page=2", "https://news.example/a?page=2&utm_campaign=z&id=4"},
		{"https://user:pw@news.example/a", "https://news.example/a"},
	} {
		ka, kb := StoryLink(c.a), StoryLink(c.b)
		if ka == "" || ka != kb {
			t.Errorf("StoryLink(%q) = %q, StoryLink(%q) = %q: want the same key", c.a, ka, c.b, kb)
		}
	}
	for _, c := range []struct{ a, b string }{
		{"https://news.example/a", "https://news.example/b"},
		{"https://news.example/a?id=4", "https://news.example/a?id=5"},
		{"https://news.example/A", "https://news.example/a"}, // paths are case-sensitive
		{"https://news.example:8080/a", "https://news.example/a"},
		{"https://one.example/a", "https://two.example/a"},
	} {
		if StoryLink(c.a) == StoryLink(c.b) {
			t.Errorf("StoryLink(%q) = StoryLink(%q) = %q: want different keys", c.a, c.b, StoryLink(c.a))
		}
	}
	for _, l := range []string{"", "https://news.example/", "https://news.example", "https://www.news.example/?utm_source=x#top",
		"mailto:a@news.example", "/relative/path", "gemini://news.example/a", "https:///nohost"} {
		if k := StoryLink(l); k != "" {
			t.Errorf("StoryLink(%q) = %q, want none", l, k)
		}
	}
}

func TestStoryGUID(t *testing.T) {
	for guid, want := range map[string]string{
		"guid:tag:news.example,2026:4711":           "tag:news.example,2026:4711",
		"tag:news.example,2026:4711":                "tag:news.example,2026:4711",
		"guid:https://news.example/a/?utm_x=1":      "news.example/a",
		"guid:123e4567-e89b-12d3-a456-426614174000": "123e4567-e89b-12d3-a456-426614174000",
		"guid:https://news.example/":                "", // a home page
		"guid:42":                                   "",
		"guid:12345678901234":                       "", // a number alone: unique within its feed only
		"guid:post-7":                               "",
		"link:https://news.example/a":               "", // the link is compared on its own
		"title:Rivers rise|2026-11-26T12:00:00Z":    "",
		"remote:99812":                              "",
		"":                                          "",
	} {
		if got := StoryGUID(guid); got != want {
			t.Errorf("StoryGUID(%q) = %q, want %q", guid, got, want)
		}
	}
}

func TestStoryTitle(t *testing.T) {
	same := [][]string{
		{"Quake Hits Northern Japan, Thousands Evacuated", "quake hits northern japan — thousands evacuated!", "QUAKE HITS NORTHERN JAPAN: THOUSANDS EVACUATED"},
		{"U.S. and China don't agree on trade terms", "US and China dont agree on trade terms", "“U.S.” and China don’t agree on trade terms"},
		{"Ｔｏｋｙｏ markets close higher on Friday", "Tokyo markets close higher on Friday"},
		{"北京市发布暴雨红色预警信号", "北京市发布暴雨红色预警信号。"},
	}
	for _, group := range same {
		k := StoryTitle(group[0])
		if k == "" {
			t.Errorf("StoryTitle(%q) is none", group[0])
		}
		for _, other := range group[1:] {
			if got := StoryTitle(other); got != k {
				t.Errorf("StoryTitle(%q) = %q, StoryTitle(%q) = %q: want the same", group[0], k, other, got)
			}
		}
	}
	if StoryTitle("Quake hits northern Japan; thousands evacuate") == StoryTitle("Quake hits northern Japan; thousands evacuated") {
		t.Error("titles a word apart are one story")
	}
	for _, short := range []string{"", "Untitled", "(untitled)", "Update", "Live: the latest", "A b c d e f", "暴雨预警"} {
		if k := StoryTitle(short); k != "" {
			t.Errorf("StoryTitle(%q) = %q, want none: too short to mean something", short, k)
		}
	}
}
