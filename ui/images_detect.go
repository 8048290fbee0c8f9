package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// Pictures are drawn only where the terminal says it can draw them: never
// guessed from environment names. The reader asks once, when it first
// knows its size, and shows images as links until the terminal has
// answered (or failed to).
//
// The probe is kitty's graphics query, the cell size in pixels,
// XTVERSION, and DA1 last: terminals answer in order, so the answer to
// DA1 ends the detection. A terminal that answers DA1 but not the query
// has no graphics protocol.
const (
	probeKittyID = 31
	// maxPictureRows bounds a picture's rows and columns: the placeholder
	// marks of kitty's table name no more.
	maxPictureRows = 297
)

// probeKitty is kitty's graphics query: a 1×1 RGB image, queried and never
// kept (a=q).
var probeKitty = ansi.KittyGraphics([]byte("AAAA"), "i="+strconv.Itoa(probeKittyID), "s=1", "v=1", "a=q", "t=d", "f=24")

// probeCells asks the cell size in pixels (CSI 16 t), the terminal's name
// and version (XTVERSION) and its primary device attributes (DA1).
const probeCells = "\x1b[16t" + ansi.RequestNameVersion + ansi.RequestPrimaryDeviceAttributes

// defaultProbeTimeout is how long the reader waits for DA1 before it
// takes the terminal for one that draws no pictures.
const defaultProbeTimeout = 2 * time.Second

// pictureMethod is how the reader draws pictures.
type pictureMethod int

const (
	picturesOff   pictureMethod = iota // links with their alt text
	picturesKitty                      // kitty's graphics protocol with Unicode placeholders
)

// detection is what the terminal said about pictures.
type detection struct {
	sent, done bool
	kitty      bool   // the graphics query was answered
	version    string // XTVERSION's name and version
	cellW      int    // a cell's size in pixels, 0 until known
	cellH      int
	profile    colorprofile.Profile
	method     pictureMethod
}

// probeTimeoutMsg ends a detection the terminal never finished.
type probeTimeoutMsg struct{}

// probeEnabled reports whether the reader asks the terminal about
// pictures: only the interactive reader, with images = "auto".
func (m Model) probeEnabled() bool {
	return m.opts.Pictures != nil && m.opts.Terminal && !m.opts.NoColor
}

// startProbe sends the probe once. Inside tmux the kitty query is left
// out: tmux would make it the pane's title.
func (m *Model) startProbe() tea.Cmd {
	if m.detect.sent || !m.probeEnabled() {
		return nil
	}
	m.detect.sent = true
	probe := probeCells
	if !m.opts.InTmux {
		probe = probeKitty + probe
	}
	timeout := m.opts.ProbeTimeout
	if timeout <= 0 {
		timeout = defaultProbeTimeout
	}
	return tea.Batch(tea.Raw(probe), tea.Tick(timeout, func(time.Time) tea.Msg { return probeTimeoutMsg{} }))
}

// onProbeReply takes the terminal's answers to the probe; ok is false for
// any other message.
func (m *Model) onProbeReply(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case uv.KittyGraphicsEvent:
		if msg.Options.ID == probeKittyID {
			m.detect.kitty = true
		}
	case tea.TerminalVersionMsg:
		m.detect.version = msg.Name
	case uv.CellSizeEvent:
		m.detect.cellW, m.detect.cellH = msg.Width, msg.Height
	case tea.ColorProfileMsg:
		m.detect.profile = msg.Profile
	case uv.PrimaryDeviceAttributesEvent:
		m.endProbe()
	case probeTimeoutMsg:
		m.endProbe()
	default:
		return false
	}
	return true
}

// endProbe decides how pictures are drawn, once: kitty's placeholders
// need the query answered, a terminal known to draw placeholders (WezTerm
// and others answer the query but show them as boxes), and true colour,
// since a placeholder's colour is its picture's id.
func (m *Model) endProbe() {
	if !m.detect.sent || m.detect.done {
		return
	}
	m.detect.done = true
	if m.detect.kitty && !m.opts.InTmux && drawsPlaceholders(m.detect.version) &&
		m.detect.profile == colorprofile.TrueColor {
		m.detect.method = picturesKitty
	}
}

// drawsPlaceholders reports whether a terminal, by its XTVERSION answer,
// draws kitty's Unicode placeholders: kitty from 0.28, and Ghostty.
func drawsPlaceholders(version string) bool {
	v := strings.ToLower(strings.TrimSpace(version))
	if strings.HasPrefix(v, "ghostty") {
		return true
	}
	rest, ok := strings.CutPrefix(v, "kitty")
	if !ok {
		return false
	}
	rest = strings.TrimLeft(rest, "( ")
	major, rest, _ := strings.Cut(rest, ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(strings.TrimRight(minor, ")"))
	return err1 == nil && err2 == nil && (ma > 0 || mi >= 28)
}

// cellSize is a cell's size in pixels: the terminal's answer, or a common
// guess. A wrong guess leaves a margin around a picture, never distorts
// it: the terminal fits it to its cells keeping its aspect ratio.
func (d detection) cellSize() (int, int) {
	if d.cellW > 0 && d.cellH > 0 && d.cellW <= 64 && d.cellH <= 128 {
		return d.cellW, d.cellH
	}
	return 10, 20
}
