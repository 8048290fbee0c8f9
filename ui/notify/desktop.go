package notify

import (
	"strings"

	"tidings/articles"
)

// Protocol is the escape sequence a terminal shows desktop notifications
// for.
type Protocol int

const (
	// None: the terminal is not known to show them; nothing is sent (an
	// unknown OSC is ignored by most terminals, but some print it).
	None Protocol = iota
	// OSC9 is "ESC ] 9 ; text BEL" (iTerm2, kitty, WezTerm, Ghostty).
	OSC9
	// OSC777 is "ESC ] 777 ; notify ; title ; body BEL" (foot, and the
	// rxvt family).
	OSC777
)

// ProtocolFor picks the notification sequence from the terminal's answer
// to XTVERSION (its name and version, as Bubble Tea reports it in a
// TerminalVersionMsg), never from environment variables, which a
// multiplexer or ssh carries over from another terminal. tmux and
// screen answer with their own names, and get nothing: they would not
// pass the sequence on.
func ProtocolFor(terminal string) Protocol {
	name := strings.ToLower(terminal)
	for _, p := range []struct {
		prefix string
		proto  Protocol
	}{
		{"iterm2", OSC9}, {"kitty", OSC9}, {"wezterm", OSC9}, {"ghostty", OSC9},
		{"foot", OSC777}, {"rxvt", OSC777}, {"urxvt", OSC777},
	} {
		if strings.HasPrefix(name, p.prefix) {
			return p.proto
		}
	}
	return None
}

// Sequence returns the desktop notification for count new articles whose
// first title is title, in protocol p, or "" for None. The text is
// cleaned (Title) and may hold no ';' in the OSC 777 title field, where
// it would end the field.
func Sequence(p Protocol, count int, title string) string {
	summary := "tidings: " + articles.Count(count, "new article")
	text := Title(title)
	switch p {
	case OSC9:
		return "\x1b]9;" + summary + ": " + text + "\x07"
	case OSC777:
		return "\x1b]777;notify;" + summary + ";" + strings.ReplaceAll(text, ";", ",") + "\x07"
	}
	return ""
}
