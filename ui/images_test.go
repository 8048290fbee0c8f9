package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi/kitty"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/termsafe"
)

// pictureArticle has one picture, between two paragraphs, and a body long
// enough to scroll at 24 lines.
func pictureArticle() articles.Article {
	var tail strings.Builder
	for i := range 30 {
		tail.WriteString("Paragraph " + string(rune('A'+i%26)) + " after the picture.\n\n")
	}
	return articles.Article{ID: "pic", Feed: "https://news.example/feed", Title: "A picture", Link: "https://news.example/pic",
		Published: testNow,
		Body:      "Intro.\n\n[image: A red square](https://img.example/red.png)\n\n" + tail.String() + "The needle is here."}
}

// redSquare is the picture the tests load: 8 × 2 pixels, one cell.
func redSquare() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 8, 2))
	for y := range 2 {
		for x := range 8 {
			img.Set(x, y, color.NRGBA{R: 255, A: 255})
		}
	}
	return img
}

// pictureOptions are the options of an interactive reader that loads
// pictures with load.
func pictureOptions(s articles.Store, load PictureLoader) Options {
	o := testOptions(s)
	o.Terminal = true
	o.Pictures = load
	o.ProbeTimeout = time.Nanosecond
	return o
}

// pump is a terminal for the model: it runs the commands each message
// starts, depth first, and feeds their messages back, as the program
// would. The raw sequences sent to the terminal are recorded. A probe
// timeout is dropped unless timeouts is set: the scripted terminal has
// answered before it could come. A command that signals started (a load
// that waits on its server) is parked, as the program would leave it
// running, and the keys go on; hold keeps the pictures that load until
// the test sends them.
type pump struct {
	t        *testing.T
	m        Model
	raw      []string
	timeouts bool
	started  chan struct{}
	parked   []chan tea.Msg
	hold     bool
	held     []tea.Msg
}

func (p *pump) send(msgs ...tea.Msg) {
	p.t.Helper()
	for _, msg := range msgs {
		next, cmd := p.m.Update(msg)
		p.m = next.(Model)
		p.run(cmd)
	}
}

func (p *pump) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		p.handle(msg)
	case <-p.started:
		p.parked = append(p.parked, done)
	}
}

func (p *pump) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			p.run(c)
		}
	case tea.RawMsg:
		p.raw = append(p.raw, msg.Msg.(string))
	case probeTimeoutMsg:
		if p.timeouts {
			p.send(msg)
		}
	case pictureMsg:
		if p.hold {
			p.held = append(p.held, msg)
			return
		}
		p.send(msg)
	default:
		p.send(msg)
	}
}

func (p *pump) keys(keys string) {
	p.t.Helper()
	presses, err := ParseInput(keys)
	if err != nil {
		p.t.Fatal(err)
	}
	p.send(presses...)
}

// kittyAnswers is what kitty 0.36 answers the probe.
var kittyAnswers = []tea.Msg{
	uv.KittyGraphicsEvent{Options: kitty.Options{ID: 31}, Payload: []byte("OK")},
	uv.CellSizeEvent{Width: 10, Height: 20},
	tea.TerminalVersionMsg{Name: "kitty(0.36.0)"},
	uv.PrimaryDeviceAttributesEvent{62, 22},
}

func startPictures(t *testing.T, o Options, answers []tea.Msg) *pump {
	t.Helper()
	p := &pump{t: t, m: New(o)}
	p.run(p.m.Init())
	p.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor}, tea.WindowSizeMsg{Width: 80, Height: 24})
	p.send(answers...)
	return p
}

const wantProbe = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[16t\x1b[>q\x1b[c"

// TestPictureExactBytes: on a terminal that answered as kitty does, the
// picture is sent once as kitty's quiet transmit with a virtual placement,
// and the frame holds its placeholder row in the id's colour under the
// paragraph of its link. No terminal that draws pictures is at hand
// where the tests run: these bytes stand in for one.
func TestPictureExactBytes(t *testing.T) {
	load := func(ctx context.Context, url string, maxW, maxH int) (image.Image, error) {
		if url != "https://img.example/red.png" || maxW != 76*10 || maxH != 20*20 {
			t.Errorf("load(%q, %d, %d), want the picture's URL at 76 × 20 cells of 10 × 20", url, maxW, maxH)
		}
		return redSquare(), nil
	}
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(pictureArticle()), load), kittyAnswers)
	if len(p.raw) != 1 || p.raw[0] != wantProbe {
		t.Fatalf("probe %q, want %q", p.raw, wantProbe)
	}
	p.keys("enter")
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, redSquare()); err != nil {
		t.Fatal(err)
	}
	want := "\x1b_Gf=100,q=2,i=1048577,s=8,v=2,U=1,c=1,r=1,a=T;" + base64.StdEncoding.EncodeToString(pngData.Bytes()) + "\x1b\\"
	if len(p.raw) != 2 || p.raw[1] != want {
		t.Fatalf("sent %q, want the probe then %q", p.raw, want)
	}
	row := "\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305\x1b[39m"
	frame := p.m.frame()
	if !strings.Contains(frame, "\n  "+row+strings.Repeat(" ", 77)+"\n") {
		t.Errorf("the frame has no placeholder row %q:\n%q", row, frame)
	}
	if strings.Count(frame, "\U0010EEEE") != 1 {
		t.Errorf("the frame has %d placeholders, want 1", strings.Count(frame, "\U0010EEEE"))
	}
	golden.RequireEqual(t, stripANSI(frame))
	if got, want := p.m.FreePictures(), "\x1b_Ga=d,d=I,i=1048577,q=2\x1b\\"; got != want {
		t.Errorf("FreePictures() = %q, want %q", got, want)
	}
}

// TestPictureDetection: pictures are drawn only where the terminal said
// it draws kitty's placeholders, in true colour; inside tmux the kitty
// query is never sent (tmux would make it the pane's title).
func TestPictureDetection(t *testing.T) {
	tmux := []tea.Msg{tea.TerminalVersionMsg{Name: "tmux 3.3a"}, uv.PrimaryDeviceAttributesEvent{1, 2}}
	tests := []struct {
		name      string
		tmux      bool
		answers   []tea.Msg
		profile   colorprofile.Profile
		timeouts  bool
		wantProbe string
		want      pictureMethod
	}{
		{"kitty", false, kittyAnswers, colorprofile.TrueColor, false, wantProbe, picturesKitty},
		{"ghostty", false, []tea.Msg{uv.KittyGraphicsEvent{Options: kitty.Options{ID: 31}, Payload: []byte("OK")},
			tea.TerminalVersionMsg{Name: "ghostty 1.1.3"}, uv.PrimaryDeviceAttributesEvent{62, 22}}, colorprofile.TrueColor, false, wantProbe, picturesKitty},
		{"tmux answers only DA1", true, tmux, colorprofile.TrueColor, false, "\x1b[16t\x1b[>q\x1b[c", picturesOff},
		{"no answer", false, nil, colorprofile.TrueColor, true, wantProbe, picturesOff},
		{"kitty's answers after the timeout", false, kittyAnswers, colorprofile.TrueColor, true, wantProbe, picturesOff},
		{"wezterm draws no placeholders", false, []tea.Msg{uv.KittyGraphicsEvent{Options: kitty.Options{ID: 31}, Payload: []byte("OK")},
			tea.TerminalVersionMsg{Name: "WezTerm 20240203"}, uv.PrimaryDeviceAttributesEvent{65, 4}}, colorprofile.TrueColor, false, wantProbe, picturesOff},
		{"old kitty", false, append([]tea.Msg{tea.TerminalVersionMsg{Name: "kitty(0.27.1)"}}, kittyAnswers...)[:0:0], colorprofile.TrueColor, true, wantProbe, picturesOff},
		{"query unanswered", false, []tea.Msg{tea.TerminalVersionMsg{Name: "kitty(0.36.0)"}, uv.PrimaryDeviceAttributesEvent{62, 22}}, colorprofile.TrueColor, false, wantProbe, picturesOff},
		{"256 colours", false, kittyAnswers, colorprofile.ANSI256, false, wantProbe, picturesOff},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := pictureOptions(articlestest.NewMemStore(pictureArticle()), func(context.Context, string, int, int) (image.Image, error) {
				return redSquare(), nil
			})
			o.InTmux = tt.tmux
			p := &pump{t: t, m: New(o), timeouts: tt.timeouts}
			p.run(p.m.Init())
			p.send(tea.ColorProfileMsg{Profile: tt.profile}, tea.WindowSizeMsg{Width: 80, Height: 24})
			p.send(tt.answers...)
			if len(p.raw) != 1 || p.raw[0] != tt.wantProbe {
				t.Fatalf("probe %q, want %q", p.raw, tt.wantProbe)
			}
			if p.m.detect.method != tt.want || !p.m.detect.done {
				t.Errorf("method %v (done %v), want %v", p.m.detect.method, p.m.detect.done, tt.want)
			}
			p.keys("enter")
			if shown := strings.Contains(p.m.frame(), "\U0010EEEE"); shown != (tt.want == picturesKitty) {
				t.Errorf("picture shown: %v", shown)
			}
			if !strings.Contains(plain(t, p.m), "image: A red square [1]") {
				t.Errorf("the link is gone:\n%s", plain(t, p.m))
			}
		})
	}
}

// TestDrawsPlaceholders: the XTVERSION names of terminals that draw kitty's
// placeholders.
func TestDrawsPlaceholders(t *testing.T) {
	for v, want := range map[string]bool{
		"kitty(0.36.0)": true, "kitty(0.28.0)": true, "kitty(1.0.0)": true, "kitty(0.27.1)": false,
		"ghostty 1.1.3": true, "WezTerm 20240203": false, "tmux 3.3a": false, "": false, "kittyx": false,
	} {
		if got := drawsPlaceholders(v); got != want {
			t.Errorf("drawsPlaceholders(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestNoProbe: images = "off" (no loader), a snapshot (no terminal) and
// NO_COLOR ask the terminal nothing and keep pictures as links.
func TestNoProbe(t *testing.T) {
	load := func(context.Context, string, int, int) (image.Image, error) { return redSquare(), nil }
	s := articlestest.NewMemStore(pictureArticle())
	off := pictureOptions(s, nil)
	snapshot := pictureOptions(s, load)
	snapshot.Terminal = false
	noColor := pictureOptions(s, load)
	noColor.NoColor = true
	for name, o := range map[string]Options{"images off": off, "snapshot": snapshot, "NO_COLOR": noColor} {
		t.Run(name, func(t *testing.T) {
			p := startPictures(t, o, kittyAnswers)
			p.keys("enter")
			if len(p.raw) != 0 || p.m.detect.sent {
				t.Errorf("sent %q", p.raw)
			}
			if strings.Contains(p.m.frame(), "\U0010EEEE") || !strings.Contains(plain(t, p.m), "image: A red square [1]") {
				t.Errorf("a picture is shown:\n%s", plain(t, p.m))
			}
		})
	}
}

// TestPictureFails: a picture that cannot be loaded (a bomb refused, a
// truncated file) stays a link, and nothing is sent.
func TestPictureFails(t *testing.T) {
	load := func(context.Context, string, int, int) (image.Image, error) {
		return nil, errors.New("decode image: the jpeg is damaged or cut short: unexpected EOF")
	}
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(pictureArticle()), load), kittyAnswers)
	p.keys("enter")
	if len(p.raw) != 1 {
		t.Errorf("sent %q, want only the probe", p.raw)
	}
	if strings.Contains(p.m.frame(), "\U0010EEEE") || !strings.Contains(plain(t, p.m), "image: A red square [1]") {
		t.Errorf("want the link:\n%s", plain(t, p.m))
	}
}

// TestSlowPicture: while a picture loads, the text shows with its link
// and the keys work; leaving the article cancels the load.
func TestSlowPicture(t *testing.T) {
	started := make(chan struct{})
	load := func(ctx context.Context, url string, _, _ int) (image.Image, error) {
		started <- struct{}{}
		<-ctx.Done() // a server that never finishes
		return nil, ctx.Err()
	}
	two := pictureArticle()
	two.ID, two.Title, two.Published = "pic2", "Another", testNow.Add(-time.Hour)
	two.Body = "No picture here."
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(pictureArticle(), two), load), kittyAnswers)
	p.started = started
	p.keys("enter")
	if len(p.parked) != 1 {
		t.Fatalf("%d loads under way, want 1", len(p.parked))
	}
	if !strings.Contains(plain(t, p.m), "image: A red square [1]") {
		t.Errorf("the text waits for the picture:\n%s", plain(t, p.m))
	}
	p.keys("j j k")
	if p.m.reader.yoff != 1 {
		t.Errorf("scrolled to %d while the picture loads, want 1", p.m.reader.yoff)
	}
	p.keys("J") // the next article: the load is cancelled
	msg := <-p.parked[0]
	pm, ok := msg.(pictureMsg)
	if !ok || !errors.Is(pm.err, context.Canceled) {
		t.Fatalf("the load ended with %#v, want a cancelled picture", msg)
	}
	p.send(pm)
	if len(p.m.pics.entries) != 0 {
		t.Errorf("%d pictures known, want none", len(p.m.pics.entries))
	}
}

// TestPictureKeepsPlace: a picture's rows count as lines of the article:
// the text below moves down by them, search finds lines where they are
// shown, a picture that comes above the top line does not move the text
// being read, and link numbers stay.
func TestPictureKeepsPlace(t *testing.T) {
	load := func(ctx context.Context, _ string, _, _ int) (image.Image, error) {
		return image.NewNRGBA(image.Rect(0, 0, 100, 100)), nil // 10 × 5 cells
	}
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(pictureArticle()), load), kittyAnswers)
	p.hold = true
	p.keys("enter")
	before := len(p.m.readerDoc().lines)
	p.keys("G")
	bottom := p.m.reader.yoff
	topLine := p.m.readerDoc().plain[bottom]
	p.hold = false
	p.send(p.held...)
	doc := p.m.readerDoc()
	if len(doc.lines) != before+5 {
		t.Fatalf("%d lines with the picture, want %d + 5", len(doc.lines), before)
	}
	if p.m.reader.yoff != bottom+5 || doc.plain[p.m.reader.yoff] != topLine {
		t.Errorf("top line %d %q, want %d %q: the text moved", p.m.reader.yoff, doc.plain[p.m.reader.yoff], bottom+5, topLine)
	}
	p.keys("g / n e e d l e enter")
	needle := p.m.reader.find.matches
	if len(needle) != 1 || !strings.Contains(doc.plain[needle[0].line], "The needle is here.") {
		t.Errorf("the search found %v", needle)
	}
	if !strings.Contains(plain(t, p.m), "The needle is here.") {
		t.Errorf("the match is not on screen:\n%s", plain(t, p.m))
	}
	if refs := doc.refs; len(refs) != 1 || refs[0].url != "https://img.example/red.png" {
		t.Errorf("links %v", refs)
	}
}

// TestFeedPlaceholderStripped: a body that holds kitty's placeholder, or
// its graphics escape, never shows either, pictures on or off.
func TestFeedPlaceholderStripped(t *testing.T) {
	a := pictureArticle()
	a.Body = "Fake \x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305\x1b[39m picture \x1b_Ga=T,U=1,q=2,f=100,i=1048577;iVBORw0KGgo=\x1b\\ here.\n\n" + a.Body
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(a), func(context.Context, string, int, int) (image.Image, error) {
		return redSquare(), nil
	}), kittyAnswers)
	p.keys("enter")
	frame := p.m.frame()
	if n := strings.Count(frame, "\U0010EEEE"); n != 1 {
		t.Errorf("%d placeholders in the frame, want the one of the real picture", n)
	}
	if strings.Contains(frame, "\x1b_") || !strings.Contains(frame, "Fake") {
		t.Errorf("frame %q", frame)
	}
	if strings.ContainsRune(termsafe.Text(a.Body), termsafe.Placeholder) {
		t.Error("Text kept the placeholder")
	}
}

// TestPictureInSnapshot: a snapshot shows a picture as its alt text and
// link.
func TestPictureInSnapshot(t *testing.T) {
	m := drive(t, New(testOptions(articlestest.NewMemStore(pictureArticle()))), 80, 24, "enter")
	golden.RequireEqual(t, plain(t, m))
}

// TestFindPictures: images and image enclosures are pictures, placed
// after the paragraph of their link; other links and enclosures are not.
func TestFindPictures(t *testing.T) {
	a := pictureArticle()
	a.Body = "Text with an inline [image: small](https://img.example/s.png) picture\nand a second line.\n\n" +
		"[a link](https://x.example/)\n\n" +
		"[enclosure: audio/mpeg, 20 MB](https://x.example/a.mp3)\n\n" +
		"[enclosure: image/jpeg, 20 kB](https://img.example/e.jpg)\n\n" +
		"[image](https://img.example/noalt.png)"
	doc, err := renderArticle(a, renderKey{id: a.ID, width: 40, style: "dark"}, header{styles: NewStyles(true), location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range doc.pictures {
		got = append(got, p.url)
		next := ""
		if p.line+1 < len(doc.plain) {
			next = doc.plain[p.line+1]
		}
		if strings.TrimSpace(doc.plain[p.line]) == "" || strings.TrimSpace(next) != "" {
			t.Errorf("%s goes after line %d %q, followed by %q: not the end of its paragraph", p.url, p.line, doc.plain[p.line], next)
		}
	}
	want := []string{"https://img.example/s.png", "https://img.example/e.jpg", "https://img.example/noalt.png"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pictures %q, want %q", got, want)
	}
}

// BenchmarkPictureFrame measures a frame of the reader with a picture of
// 76 × 20 cells on screen, against the same article without pictures: the
// rows are composed once, and the frame filter compares them only at
// 24-bit colours.
func BenchmarkPictureFrame(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "links"
		if on {
			name = "picture"
		}
		b.Run(name, func(b *testing.B) {
			load := func(context.Context, string, int, int) (image.Image, error) {
				return image.NewNRGBA(image.Rect(0, 0, 760, 400)), nil
			}
			t := &testing.T{}
			answers := kittyAnswers
			if !on {
				answers = nil
			}
			p := &pump{t: t, m: New(pictureOptions(articlestest.NewMemStore(pictureArticle()), load)), timeouts: !on}
			p.run(p.m.Init())
			p.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor}, tea.WindowSizeMsg{Width: 80, Height: 24})
			p.send(answers...)
			p.keys("enter j j")
			if shown := strings.Contains(p.m.frame(), "\U0010EEEE"); shown != on {
				b.Fatalf("picture shown %v", shown)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = p.m.View()
			}
		})
	}
}

// TestPictureNewRendering: when the article is rendered anew (the
// terminal's background turned light), its pictures go into the new
// rendering, not an old one of as many lines.
func TestPictureNewRendering(t *testing.T) {
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(pictureArticle()), func(context.Context, string, int, int) (image.Image, error) {
		return redSquare(), nil
	}), kittyAnswers)
	p.keys("enter")
	dark := p.m.readerDoc()
	p.send(tea.BackgroundColorMsg{Color: color.White})
	light := p.m.readerDoc()
	raw := p.m.renders.docs[p.m.readerKey()].doc
	if len(light.lines) != len(raw.lines)+1 || len(dark.lines) != len(light.lines) {
		t.Fatalf("%d lines, want the new rendering's %d and the picture's row", len(light.lines), len(raw.lines))
	}
	if light.lines[2] != raw.lines[2] || light.lines[2] == dark.lines[2] {
		t.Errorf("the title line is the old rendering's: %q", light.lines[2])
	}
	if !strings.Contains(p.m.frame(), "\U0010EEEE") {
		t.Error("the picture is gone")
	}
}

// BenchmarkKittyTransmit measures encoding a picture the width of an
// 80-column pane (760 × 400 pixels) for the terminal, off the update
// loop: PNG, base64, chunks.
func BenchmarkKittyTransmit(b *testing.B) {
	img := image.NewNRGBA(image.Rect(0, 0, 760, 400))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := kittyTransmit(img, defaultPictureIDBase+1, 10, 20, 76, 20); err != nil {
			b.Fatal(err)
		}
	}
}

// TestManyPictures: an article of 40 pictures draws its first 16, the rest
// stay links, and pictures of earlier articles make room for them.
func TestManyPictures(t *testing.T) {
	var loads atomic.Int32
	load := func(context.Context, string, int, int) (image.Image, error) {
		loads.Add(1)
		return redSquare(), nil
	}
	many := func(id string, n int, at time.Time) articles.Article {
		a := pictureArticle()
		a.ID, a.Title, a.Published = id, "Pictures of "+id, at
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Picture %d: [image: %s %d](https://img.example/%s/%d.png)\n\n", i, id, i, id, i)
		}
		a.Body = b.String()
		return a
	}
	s := articlestest.NewMemStore(many("a", 40, testNow), many("b", 20, testNow.Add(-time.Hour)), many("c", 20, testNow.Add(-2*time.Hour)))
	p := startPictures(t, pictureOptions(s, load), kittyAnswers)
	p.keys("enter")
	if n := loads.Load(); n != maxArticlePictures {
		t.Errorf("%d pictures loaded, want the first %d", n, maxArticlePictures)
	}
	if !strings.Contains(plain(t, p.m), "image: a 39") && !strings.Contains(p.m.readerDoc().plain[len(p.m.readerDoc().plain)-1], "a 39") {
		t.Errorf("the last picture is not a link:\n%s", plain(t, p.m))
	}
	p.keys("J J K K")
	if n := len(p.m.pics.shown); n > maxShownPictures {
		t.Errorf("%d pictures kept in the terminal, want at most %d", n, maxShownPictures)
	}
	deletes := 0
	for _, r := range p.raw {
		deletes += strings.Count(r, "a=d,d=I")
	}
	if deletes == 0 || len(p.m.pics.shown)+deletes != int(loads.Load()) {
		t.Errorf("%d deleted, %d kept, %d loaded", deletes, len(p.m.pics.shown), loads.Load())
	}
	for _, a := range p.m.readerDoc().pictures[:maxArticlePictures] {
		if e := p.m.pics.entries[pictureKey{a.url, pictureCols(80)}]; e == nil || e.state != pictureReady {
			t.Errorf("%s of the article read is not shown", a.url)
		}
	}
}

// TestTinyPicture: a tracking pixel or a spacer stays a link: drawn, it
// would take a row and show nothing.
func TestTinyPicture(t *testing.T) {
	p := startPictures(t, pictureOptions(articlestest.NewMemStore(pictureArticle()), func(context.Context, string, int, int) (image.Image, error) {
		return image.NewNRGBA(image.Rect(0, 0, 1, 1)), nil
	}), kittyAnswers)
	p.keys("enter")
	if len(p.raw) != 1 || strings.Contains(p.m.frame(), "\U0010EEEE") {
		t.Errorf("a 1 × 1 picture was drawn: sent %q", p.raw)
	}
}
