package articlestest

import (
	"time"

	"tidings/articles"
)

// SearchArticles are articles in Chinese, Japanese, Korean and English,
// some with emoji, for the search cases every store must agree on. Their
// titles are unique: the cases name articles by title.
func SearchArticles() []articles.Article {
	arts := []articles.Article{
		{Title: "中美贸易谈判在北京举行", Source: "新华社", Body: "双方代表在北京会面，讨论关税问题。"},
		{Title: "上海股市上涨", Source: "新华社", Body: "北方地区明天降温。"},
		{Title: "東京で桜が咲いた", Source: "NHK", Body: "「桜が咲いた」と気象庁が発表しました。ラーメン屋も混雑。"},
		{Title: "大阪の天気", Source: "NHK", Body: "明日は雨が降るでしょう。"},
		{Title: "서울에서 정상회담 개최", Source: "연합뉴스", Body: "대통령은 오늘 서울에서 기자회견을 했다."},
		{Title: "부산 날씨", Source: "연합뉴스", Body: "내일은 비가 올 것입니다."},
		{Title: "Trade talks resume", Source: "Wire", Body: "Delegates met in 北京 on Monday. 🚀 Launch is tomorrow."},
		{Title: "Rocket launch delayed", Source: "Wire", Body: "The rocket stays on the pad, © Space Agency 2026."},
		{Title: "🎉 Party time", Source: "Blog", Body: "We ❤️ our readers 👍🏽"},
	}
	for i := range arts {
		arts[i].ID = arts[i].Title
		arts[i].GUID = arts[i].Title
		arts[i].Feed = "https://search.example/feed"
		arts[i].Published = Epoch.Add(-time.Duration(i) * time.Hour)
	}
	return arts
}

// SearchCase is a query typed in the search box and the titles of the
// SearchArticles it must find, in any order.
type SearchCase struct {
	Query string
	Want  []string
}

// SearchCases are the searches over SearchArticles that every store must
// answer alike: words in the middle of a run of CJK characters, single
// characters, mixed queries, emoji, and queries with nothing to search for.
var SearchCases = []SearchCase{
	// Chinese: a word in the middle of a sentence, at its end, alone.
	{"北京", []string{"中美贸易谈判在北京举行", "Trade talks resume"}},
	{"京举", []string{"中美贸易谈判在北京举行"}},
	{"举行", []string{"中美贸易谈判在北京举行"}},
	{"北京举行", []string{"中美贸易谈判在北京举行"}},
	{"北", []string{"中美贸易谈判在北京举行", "上海股市上涨", "Trade talks resume"}},
	{"关税", []string{"中美贸易谈判在北京举行"}},
	{"北京大学", nil},
	{"京北", nil},
	// Japanese: kanji and kana, one character, a word spanning both.
	{"桜", []string{"東京で桜が咲いた"}},
	{"京", []string{"中美贸易谈判在北京举行", "東京で桜が咲いた", "Trade talks resume"}},
	{"咲いた", []string{"東京で桜が咲いた"}},
	{"気象庁", []string{"東京で桜が咲いた"}},
	{"ラーメン", []string{"東京で桜が咲いた"}},
	{"メン", []string{"東京で桜が咲いた"}},
	{"雨", []string{"大阪の天気"}},
	{"天気", []string{"大阪の天気"}},
	// Korean: particles attach to nouns.
	{"서울", []string{"서울에서 정상회담 개최"}},
	{"회담", []string{"서울에서 정상회담 개최"}},
	{"회견", []string{"서울에서 정상회담 개최"}},
	{"비", []string{"부산 날씨"}},
	// Mixed, and CJK beside Latin.
	{"trade 北京", []string{"Trade talks resume"}},
	{"北京 trade", []string{"Trade talks resume"}},
	{"贸易 北京", []string{"中美贸易谈判在北京举行"}},
	{"nhk 桜", []string{"東京で桜が咲いた"}},
	{"trade 上海", nil},
	// Emoji and other symbols find the articles that hold them.
	{"🚀", []string{"Trade talks resume"}},
	{"🎉", []string{"🎉 Party time"}},
	{"❤️", []string{"🎉 Party time"}},
	{"❤", []string{"🎉 Party time"}},
	{"👍", []string{"🎉 Party time"}},
	{"©", []string{"Rocket launch delayed"}},
	{"launch 🚀", []string{"Trade talks resume"}},
	// Something typed, but nothing to search for: no article.
	{"!?", nil},
	{"->", nil},
	{"+", nil},
	{"🛸", nil},
	// English prefixes as before.
	{"launch", []string{"Trade talks resume", "Rocket launch delayed"}},
	{"tal", []string{"Trade talks resume"}},
	{"rade", nil},
}
