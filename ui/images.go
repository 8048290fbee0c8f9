package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi/kitty"

	"tidings/articles/termsafe"
)

// The reader shows an article's pictures (its "[image: ALT](src)" links
// and image enclosures) inline, under the paragraph that holds their
// link, where the terminal draws kitty's Unicode placeholders. A picture
// is sent to the terminal once, out of band (tea.Raw), and the view holds
// only text: rows of placeholder characters whose colour names the
// picture. The renderer diffs, scrolls and crops those like any text.
//
// Everything slow (fetching, decoding, scaling, encoding) runs in a
// command: the text shows at once, a picture when it comes, and one that
// fails stays a link.

// pictureAnchor is a picture of a rendered article: its URL, and the line
// after which its rows go (the end of the paragraph of its link).
type pictureAnchor struct {
	line int
	url  string
}

// pictureKey is one picture at one width: a pane's width in columns.
type pictureKey struct {
	url  string
	cols int
}

type pictureState int

const (
	pictureLoading pictureState = iota
	pictureReady
	pictureFailed // it stays a link
)

// picture is one picture the reader asked for.
type picture struct {
	state pictureState
	id    uint32
	rows  []string // the placeholder rows, when ready
}

// pictureStore is what the reader knows of pictures. The model's copies
// share it; only Update writes to it.
type pictureStore struct {
	entries map[pictureKey]*picture
	shown   []pictureKey // the ready pictures, oldest first
	nextID  uint32
	gen     int // counts changes of the ready pictures
	// article is the article whose pictures load; cancel stops them.
	article string
	ctx     context.Context
	cancel  context.CancelFunc
	slots   chan struct{} // bounds the pictures loading at once
	// composed is the open article with its pictures, made once per
	// change rather than for every frame.
	composed     document
	composedFrom composeKey
}

// composeKey identifies a rendering with a set of ready pictures: the
// rendering by its first line's address, which no other rendering shares.
type composeKey struct {
	first *string
	n     int
	gen   int
}

// maxShownPictures bounds the pictures kept in the terminal: older ones
// are deleted there and drawn again if they come back.
const maxShownPictures = 32

// maxArticlePictures bounds the pictures of one article that are drawn;
// the rest stay links. Half the terminal's share, so that the pictures of
// the article read are never the oldest that make room for its own.
const maxArticlePictures = maxShownPictures / 2

// maxLoading is how many pictures load at once: two fetches, and at most
// two decodes on a machine whose cores the reader shares.
const maxLoading = 2

// defaultPictureIDBase is the first picture id when Options gives none: a
// 24-bit id from 0x100000 up needs no third placeholder mark, and stays
// clear of the small ids other programs use.
const defaultPictureIDBase = 0x100000

func newPictureStore(base uint32) *pictureStore {
	if base == 0 || base >= 0xf00000 {
		base = defaultPictureIDBase
	}
	return &pictureStore{
		entries: make(map[pictureKey]*picture),
		nextID:  base,
		slots:   make(chan struct{}, maxLoading),
	}
}

// pictureMsg is the end of a picture's load: the kitty sequence that sends
// it, and its size in cells, or why it failed.
type pictureMsg struct {
	key        pictureKey
	id         uint32
	seq        string
	cols, rows int
	err        error
}

// isPictureRef reports whether a body link is a picture: an image turned
// into a link, or an enclosure of an image type.
func isPictureRef(r linkRef) bool {
	return r.text == "image" || strings.HasPrefix(r.text, "image: ") ||
		strings.HasPrefix(r.text, "enclosure: image/")
}

// findPictures finds where each picture of refs goes in the rendered
// lines plain: after the paragraph holding its number ("[3]"). The
// numbers are in the order of the text, so each search starts where the
// last one ended. A picture whose number is not shown gets no place and
// stays a link.
func findPictures(plain []string, refs []linkRef) []pictureAnchor {
	var out []pictureAnchor
	from := 0
	for i, r := range refs {
		if !isPictureRef(r) {
			continue
		}
		mark := fmt.Sprintf("[%d]", i+1)
		for j := from; j < len(plain); j++ {
			if !strings.Contains(plain[j], mark) {
				continue
			}
			end := j
			for end+1 < len(plain) && strings.TrimSpace(plain[end+1]) != "" {
				end++
			}
			out = append(out, pictureAnchor{line: end, url: r.url})
			from = j
			break
		}
	}
	return out
}

// pictureCols is the width of a picture in a pane width columns wide: the
// body's, inside Glamour's margins.
func pictureCols(width int) int {
	return max(1, min(width-glamourMargin, maxPictureRows))
}

// pictureMaxRows is the height of a picture in a body height rows high:
// it fits the pane with a line of text above and below.
func pictureMaxRows(height int) int {
	return max(1, min(height-2, maxPictureRows))
}

// syncPictures loads the pictures of the article the reader shows, when
// the terminal draws them, and cancels those of an article left. It runs
// after every update, as syncReader does.
func (m *Model) syncPictures() tea.Cmd {
	p := m.pics
	if m.detect.method == picturesOff || p == nil {
		return nil
	}
	if p.article != m.reader.id {
		m.leaveArticle()
	}
	r, ok := m.renders.docs[m.readerKey()]
	if !m.readerVisible() || !ok || r.err != nil || len(r.doc.pictures) == 0 {
		return nil
	}
	cellW, cellH := m.detect.cellSize()
	maxRows := pictureMaxRows(m.bodyHeight())
	cols := pictureCols(r.doc.width)
	var cmds []tea.Cmd
	for _, a := range r.doc.pictures[:min(len(r.doc.pictures), maxArticlePictures)] {
		k := pictureKey{url: a.url, cols: cols}
		if _, ok := p.entries[k]; ok {
			continue
		}
		p.nextID++
		p.entries[k] = &picture{state: pictureLoading, id: p.nextID}
		cmds = append(cmds, loadPicture(p.ctx, m.opts.Pictures, p.slots, k, p.nextID, cellW, cellH, maxRows))
	}
	m.cacheComposed(r.doc)
	return tea.Batch(cmds...)
}

// leaveArticle cancels the loads of the article the reader left; their
// pictures are asked for again if it comes back.
func (m *Model) leaveArticle() {
	p := m.pics
	if p.cancel != nil {
		p.cancel()
	}
	for k, e := range p.entries {
		if e.state == pictureLoading {
			delete(p.entries, k)
		}
	}
	p.article = m.reader.id
	p.ctx, p.cancel = context.WithCancel(context.Background())
}

// loadPicture loads one picture off the update loop: load fetches,
// decodes and scales it to fit cols × maxRows cells, and it is encoded
// as kitty's transmit sequence with id.
func loadPicture(ctx context.Context, load PictureLoader, slots chan struct{}, k pictureKey, id uint32, cellW, cellH, maxRows int) tea.Cmd {
	return func() tea.Msg {
		msg := pictureMsg{key: k, id: id}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-ctx.Done():
			msg.err = ctx.Err()
			return msg
		}
		img, err := load(ctx, k.url, k.cols*cellW, maxRows*cellH)
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		if err == nil && tooSmall(img) {
			err = errTooSmall
		}
		if err != nil {
			msg.err = err
			return msg
		}
		msg.seq, msg.cols, msg.rows, msg.err = kittyTransmit(img, id, cellW, cellH, k.cols, maxRows)
		return msg
	}
}

// minPictureSide is the side in pixels under which a picture is not
// drawn: tracking pixels and spacers (1 × 1) would take a row of the
// article and show nothing.
const minPictureSide = 8

var errTooSmall = errors.New("picture too small to draw (a tracking pixel or a spacer)")

// tooSmall reports whether img is smaller than minPictureSide both ways.
func tooSmall(img image.Image) bool {
	b := img.Bounds()
	return b.Dx() < minPictureSide && b.Dy() < minPictureSide
}

// kittyTransmit encodes img as kitty's transmit sequence: a PNG sent
// quietly (q=2: no answer to read) with a virtual placement (U=1) of cols
// × rows cells, which the placeholders show; chunked, as the protocol
// asks of large payloads.
func kittyTransmit(img image.Image, id uint32, cellW, cellH, maxCols, maxRows int) (string, int, int, error) {
	b := img.Bounds()
	cols := max(1, min((b.Dx()+cellW-1)/cellW, maxCols))
	rows := max(1, min((b.Dy()+cellH-1)/cellH, maxRows))
	var out bytes.Buffer
	err := kitty.EncodeGraphics(&out, img, &kitty.Options{
		Action: kitty.TransmitAndPut, Transmission: kitty.Direct, Quiet: 2, ID: int(id), Format: kitty.PNG,
		ImageWidth: b.Dx(), ImageHeight: b.Dy(), Columns: cols, Rows: rows,
		VirtualPlacement: true, Chunk: true,
	})
	if err != nil {
		return "", 0, 0, fmt.Errorf("encode picture for the terminal: %w", err)
	}
	return out.String(), cols, rows, nil
}

// validTransmit reports whether seq is a run of kitty graphics commands
// and nothing else: what the program sends out of band is checked like
// any frame.
func validTransmit(seq string) bool {
	if seq == "" {
		return false
	}
	for seq != "" {
		end := strings.Index(seq, "\x1b\\")
		if end < 0 || !termsafe.KittyGraphics(seq[:end+2]) {
			return false
		}
		seq = seq[end+2:]
	}
	return true
}

// onPicture takes a picture that loaded (or failed to): a ready one is
// sent to the terminal, and its rows go into the article; the text below
// the top line does not move.
func (m *Model) onPicture(msg pictureMsg) tea.Cmd {
	p := m.pics
	e, ok := p.entries[msg.key]
	if !ok || e.id != msg.id {
		return nil // the reader left its article meanwhile
	}
	switch {
	case errors.Is(msg.err, context.Canceled):
		delete(p.entries, msg.key)
		return nil
	case msg.err != nil || !validTransmit(msg.seq):
		e.state = pictureFailed
		return nil
	}
	before := m.readerDoc()
	e.state, e.rows = pictureReady, placeholderRows(msg.id, msg.cols, msg.rows)
	p.gen++
	p.shown = append(p.shown, msg.key)
	if at, ok := m.pictureLine(msg.key); ok && at <= m.reader.yoff && m.reader.id != "" {
		// Rows added above the top line: scroll by as much, so that
		// what is read stays where it is.
		m.reader.yoff = min(m.reader.yoff+msg.rows, max(0, len(before.lines)+msg.rows-m.bodyHeight()))
	}
	cmds := []tea.Cmd{tea.Raw(msg.seq)}
	for len(p.shown) > maxShownPictures {
		old := p.entries[p.shown[0]]
		delete(p.entries, p.shown[0])
		p.shown = p.shown[1:]
		p.gen++
		if old != nil {
			cmds = append(cmds, tea.Raw(kittyDelete(old.id)))
		}
	}
	return tea.Batch(cmds...)
}

// pictureLine is the line of the open article, with its pictures, where
// the rows of picture k begin.
func (m Model) pictureLine(k pictureKey) (int, bool) {
	r, ok := m.renders.get(m.readerKey())
	if !ok || pictureCols(r.doc.width) != k.cols {
		return 0, false
	}
	shift := 0
	for _, a := range r.doc.pictures {
		if a.url == k.url {
			return a.line + 1 + shift, true
		}
		if e, ok := m.pics.entries[pictureKey{a.url, k.cols}]; ok && e.state == pictureReady {
			shift += len(e.rows)
		}
	}
	return 0, false
}

// kittyDelete frees picture id in the terminal, its data included.
func kittyDelete(id uint32) string {
	return fmt.Sprintf("\x1b_Ga=d,d=I,i=%d,q=2\x1b\\", id)
}

// FreePictures returns what frees, in the terminal, the pictures the
// reader sent it: written when the program ends.
func (m Model) FreePictures() string {
	if m.pics == nil {
		return ""
	}
	var b strings.Builder
	for _, k := range m.pics.shown {
		if e := m.pics.entries[k]; e != nil {
			b.WriteString(kittyDelete(e.id))
		}
	}
	return b.String()
}

// placeholderRows are the rows of cells that show picture id, cols × rows
// cells: each cell is the placeholder with the marks of its row and
// column, all of it in the colour that is the id.
func placeholderRows(id uint32, cols, rows int) []string {
	colour := fmt.Sprintf("\x1b[38;2;%d;%d;%dm", id>>16&0xff, id>>8&0xff, id&0xff)
	out := make([]string, rows)
	var b strings.Builder
	for r := range rows {
		b.Reset()
		b.WriteString(colour)
		for c := range cols {
			b.WriteRune(kitty.Placeholder)
			b.WriteRune(kitty.Diacritic(r))
			b.WriteRune(kitty.Diacritic(c))
		}
		b.WriteString("\x1b[39m")
		out[r] = b.String()
	}
	return out
}

// withPictures returns doc with the rows of its ready pictures after their
// anchors, or doc itself when none is ready. Lines of pictures have no
// plain text: search finds nothing there.
func (m Model) withPictures(doc document) document {
	p := m.pics
	if p == nil || len(doc.pictures) == 0 || m.detect.method == picturesOff {
		return doc
	}
	k := m.composeKey(doc)
	if p.composedFrom == k {
		return p.composed
	}
	return composePictures(doc, p.entries)
}

func (m Model) composeKey(doc document) composeKey {
	k := composeKey{n: len(doc.lines), gen: m.pics.gen}
	if len(doc.lines) > 0 {
		k.first = &doc.lines[0]
	}
	return k
}

// cacheComposed keeps doc with its pictures for the frames to come.
func (m *Model) cacheComposed(doc document) {
	k := m.composeKey(doc)
	if m.pics.composedFrom != k {
		m.pics.composed = composePictures(doc, m.pics.entries)
		m.pics.composedFrom = k
	}
}

func composePictures(doc document, entries map[pictureKey]*picture) document {
	cols := pictureCols(doc.width)
	var ready []pictureAnchor
	var rows [][]string
	for _, a := range doc.pictures {
		if e, ok := entries[pictureKey{a.url, cols}]; ok && e.state == pictureReady {
			ready = append(ready, a)
			rows = append(rows, e.rows)
		}
	}
	if len(ready) == 0 {
		return doc
	}
	out := doc
	n := len(doc.lines)
	for _, r := range rows {
		n += len(r)
	}
	out.lines, out.plain, out.dirs = make([]string, 0, n), make([]string, 0, n), make([]uint8, 0, n)
	from := 0
	for i, a := range ready {
		out.lines = append(out.lines, doc.lines[from:a.line+1]...)
		out.plain = append(out.plain, doc.plain[from:a.line+1]...)
		out.dirs = append(out.dirs, dirsOf(doc, from, a.line+1)...)
		for _, row := range rows[i] {
			pad := max(0, doc.width-glamourMargin/2-cols)
			out.lines = append(out.lines, "  "+row+strings.Repeat(" ", pad))
			out.plain = append(out.plain, "")
			out.dirs = append(out.dirs, dirPlain)
		}
		from = a.line + 1
	}
	out.lines = append(out.lines, doc.lines[from:]...)
	out.plain = append(out.plain, doc.plain[from:]...)
	out.dirs = append(out.dirs, dirsOf(doc, from, len(doc.lines))...)
	return out
}

// dirsOf returns doc's directions of lines from to to, as far as it has
// them.
func dirsOf(doc document, from, to int) []uint8 {
	from, to = min(from, len(doc.dirs)), min(to, len(doc.dirs))
	return doc.dirs[from:to]
}

// frameRows are the picture rows the frame may hold: those of the article
// on screen.
func (m Model) frameRows() []string {
	if m.pics == nil || m.detect.method == picturesOff || !m.readerVisible() {
		return nil
	}
	r, ok := m.renders.get(m.readerKey())
	if !ok {
		return nil
	}
	cols := pictureCols(r.doc.width)
	var rows []string
	for _, a := range r.doc.pictures {
		if e, ok := m.pics.entries[pictureKey{a.url, cols}]; ok && e.state == pictureReady {
			rows = append(rows, e.rows...)
		}
	}
	return rows
}
