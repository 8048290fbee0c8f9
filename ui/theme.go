package ui

import (
	"errors"
	"fmt"
	"image/color"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"

	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// ColorPair is one colour of the interface for a light and for a dark
// terminal background, each a hex colour ("#5a3fc0"), an ANSI colour
// name ("magenta", "bright_white") or an ANSI 256 number ("212").
type ColorPair struct{ Light, Dark string }

// Palette is every colour of the interface. [theme] in config.toml names
// them in snake_case: accent, text, title, …
type Palette struct {
	Accent           ColorPair // the selection bar, the unread dot, links, keys in the help
	Text             ColorPair // list rows and article text around the body
	Title            ColorPair // the article title in the reader header, the help's headings
	Subtle           ColorPair // the top bar, dates, sources, hints
	Border           ColorPair // the line between the panes, the help's frame
	Selection        ColorPair // the selected row's background
	SelectionBlurred ColorPair // the selected row's background while the reader has focus
	Status           ColorPair // the status line's background
	Highlight        ColorPair // a search match's background
	HighlightText    ColorPair // a search match's text
	Error            ColorPair
	Star             ColorPair
	Badge            ColorPair // the program name's background in the top bar
	BadgeText        ColorPair
}

// colors names every colour of p as [theme] names it. A new Palette field
// needs one row here (TestPaletteNamesEveryField).
func (p *Palette) colors() []namedColor {
	return []namedColor{
		{"accent", &p.Accent}, {"text", &p.Text}, {"title", &p.Title}, {"subtle", &p.Subtle},
		{"border", &p.Border}, {"selection", &p.Selection}, {"selection_blurred", &p.SelectionBlurred},
		{"status", &p.Status}, {"highlight", &p.Highlight}, {"highlight_text", &p.HighlightText},
		{"error", &p.Error}, {"star", &p.Star}, {"badge", &p.Badge}, {"badge_text", &p.BadgeText},
	}
}

type namedColor struct {
	name string
	c    *ColorPair
}

// Theme is the look of the reader: its palette and the Glamour style of
// article bodies.
type Theme struct {
	Name    string
	Palette Palette
	// Glamour is the style of bodies, a Glamour style name or a JSON
	// style file; "" leaves it to --style.
	Glamour string
}

// builtinThemes are the themes [theme] name can start from.
func builtinThemes() []Theme {
	return []Theme{
		{Name: "default", Palette: defaultPalette()},
		{Name: "high-contrast", Palette: highContrastPalette()},
		{Name: "ansi", Palette: ansiPalette()},
	}
}

// ThemeNames lists the built-in themes.
func ThemeNames() []string {
	var names []string
	for _, t := range builtinThemes() {
		names = append(names, t.Name)
	}
	return names
}

// DefaultTheme is the theme with no [theme].
func DefaultTheme() Theme { return builtinThemes()[0] }

func pair(light, dark string) ColorPair { return ColorPair{light, dark} }

func defaultPalette() Palette {
	return Palette{
		Accent: pair("#5A3FC0", "#B4A0FF"), Text: pair("#1A1A1A", "#E4E4E4"), Title: pair("#1A1A1A", "#E4E4E4"),
		Subtle: pair("#6B6B6B", "#8A8A8A"), Border: pair("#D0D0D0", "#3A3A3A"),
		Selection: pair("#E8E2FF", "#2E2650"), SelectionBlurred: pair("#EDEDED", "#2A2A2A"),
		Status: pair("#F0F0F0", "#1F1F1F"), Highlight: pair("#FFD75F", "#E5C07B"), HighlightText: pair("#000000", "#000000"),
		Error: pair("#C0362C", "#FF6B6B"), Star: pair("#B8860B", "#E5C07B"),
		Badge: pair("#5A3FC0", "#5A3FC0"), BadgeText: pair("#FFFFFF", "#FFFFFF"),
	}
}

// highContrastPalette is black on white or white on black, with the
// selection and matches in strong colours.
func highContrastPalette() Palette {
	return Palette{
		Accent: pair("#0000AF", "#5FD7FF"), Text: pair("#000000", "#FFFFFF"), Title: pair("#000000", "#FFFFFF"),
		Subtle: pair("#303030", "#D0D0D0"), Border: pair("#000000", "#FFFFFF"),
		Selection: pair("#FFFF00", "#0000AF"), SelectionBlurred: pair("#D0D0D0", "#444444"),
		Status: pair("#FFFFFF", "#000000"), Highlight: pair("#FF00FF", "#FFFF00"), HighlightText: pair("#FFFFFF", "#000000"),
		Error: pair("#AF0000", "#FF5F5F"), Star: pair("#875F00", "#FFD700"),
		Badge: pair("#000000", "#FFFFFF"), BadgeText: pair("#FFFFFF", "#000000"),
	}
}

// ansiPalette uses only the 16 colours the terminal itself defines, so
// that the reader follows the terminal's own colour scheme.
func ansiPalette() Palette {
	one := func(c string) ColorPair { return pair(c, c) }
	return Palette{
		Accent: one("magenta"), Text: one("default"), Title: one("default"), Subtle: one("bright_black"),
		Border: one("bright_black"), Selection: pair("white", "black"), SelectionBlurred: pair("white", "black"),
		Status: one("default"), Highlight: one("yellow"), HighlightText: one("black"),
		Error: one("red"), Star: one("yellow"), Badge: one("magenta"), BadgeText: one("bright_white"),
	}
}

// ansiNames are the ANSI colour names a theme may use, by number.
var ansiNames = []string{"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright_black", "bright_red", "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan", "bright_white"}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$|^#[0-9a-fA-F]{3}$`)

// toColor turns a colour of a theme into a lipgloss colour; "default" is
// the terminal's own (no colour).
func toColor(s string) color.Color {
	if s == "default" {
		return lipgloss.NoColor{}
	}
	if i := slices.Index(ansiNames, s); i >= 0 {
		return lipgloss.ANSIColor(i)
	}
	return lipgloss.Color(s)
}

// checkColor accepts what toColor understands.
func checkColor(s string) error {
	if s == "default" || slices.Contains(ansiNames, s) || hexColor.MatchString(s) {
		return nil
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == s {
		return nil
	}
	return fmt.Errorf("%q is not a colour: give #rrggbb, a number from 0 to 255, default, or one of %s", termsafe.Line(s), strings.Join(ansiNames, ", "))
}

// NewTheme returns the theme [theme] describes: the built-in theme it
// names (the default if none) with its colours put over it. An unknown
// theme, colour name or colour, and a Glamour style that is neither a
// style name nor a file, are errors naming the file and line.
func NewTheme(cfg *subs.Theme) (Theme, error) {
	t := DefaultTheme()
	if cfg == nil {
		return t, nil
	}
	var errs []error
	if cfg.Name != "" {
		i := slices.IndexFunc(builtinThemes(), func(b Theme) bool { return b.Name == cfg.Name })
		if i < 0 {
			errs = append(errs, fmt.Errorf("%s: theme.name: no theme %q; the themes are %s", cfg.NameWhere, termsafe.Line(cfg.Name), strings.Join(ThemeNames(), ", ")))
		} else {
			t = builtinThemes()[i]
		}
	}
	if cfg.Glamour != "" {
		if err := checkGlamourStyle(cfg.Glamour); err != nil {
			errs = append(errs, fmt.Errorf("%s: theme.glamour: %w", cfg.GlamourWhere, err))
		}
		t.Glamour = cfg.Glamour
	}
	errs = append(errs, t.Palette.set(cfg.Colors)...)
	if len(errs) > 0 {
		return DefaultTheme(), errors.Join(errs...)
	}
	return t, nil
}

// set puts the colours of [theme] in p.
func (p *Palette) set(cols []subs.ThemeColor) []error {
	var errs []error
	named := p.colors()
	var names []string
	for _, n := range named {
		names = append(names, n.name)
	}
	for _, col := range cols {
		i := slices.IndexFunc(named, func(n namedColor) bool { return n.name == col.Key })
		if i < 0 {
			errs = append(errs, fmt.Errorf("%s: theme.%s: no such colour; the colours are %s", col.Where, termsafe.Line(col.Key), strings.Join(names, ", ")))
			continue
		}
		bad := false
		for _, c := range []string{col.Light, col.Dark} {
			if err := checkColor(c); err != nil && !bad {
				errs = append(errs, fmt.Errorf("%s: theme.%s: %w", col.Where, col.Key, err))
				bad = true
			}
		}
		if !bad {
			*named[i].c = ColorPair{col.Light, col.Dark}
		}
	}
	return errs
}

// GlamourStyles are the names of Glamour's styles, and auto.
func GlamourStyles() []string {
	names := []string{"auto"}
	for n := range styles.DefaultStyles {
		names = append(names, n)
	}
	slices.Sort(names[1:])
	return names
}

// checkGlamourStyle accepts a Glamour style name or a style file.
func checkGlamourStyle(s string) error {
	if slices.Contains(GlamourStyles(), s) {
		return nil
	}
	if _, err := os.Stat(s); err != nil {
		return fmt.Errorf("%q is neither one of %s nor a style file (%w)", termsafe.Line(s), strings.Join(GlamourStyles(), ", "), err)
	}
	return nil
}

// Colors lists the theme's colours as [theme] names them, for
// "tidings config check".
func (t Theme) Colors() []NamedColor {
	var out []NamedColor
	for _, n := range t.Palette.colors() {
		out = append(out, NamedColor{Name: n.name, ColorPair: *n.c})
	}
	return out
}

// NamedColor is one colour of a theme with its name in [theme].
type NamedColor struct {
	Name string
	ColorPair
}
