package ui

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/feed/subs"
)

// TestPaletteNamesEveryField: every colour of the Palette has its name in
// [theme], so that each can be set.
func TestPaletteNamesEveryField(t *testing.T) {
	var p Palette
	named := map[*ColorPair]string{}
	for _, n := range p.colors() {
		named[n.c] = n.name
	}
	v := reflect.ValueOf(&p).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, ok := named[v.Field(i).Addr().Interface().(*ColorPair)]
		if !ok {
			t.Errorf("Palette.%s has no name: add a row to Palette.colors", f.Name)
		} else if want := snakeCase(f.Name); name != want {
			t.Errorf("Palette.%s is called %q, want %q", f.Name, name, want)
		}
	}
	for _, th := range builtinThemes() {
		for _, c := range th.Colors() {
			if checkColor(c.Light) != nil || checkColor(c.Dark) != nil {
				t.Errorf("theme %s: %s = %+v is not a colour a theme may give", th.Name, c.Name, c.ColorPair)
			}
		}
	}
}

func TestNewTheme(t *testing.T) {
	th, err := NewTheme(&subs.Theme{Name: "high-contrast", Glamour: "dracula", Colors: []subs.ThemeColor{
		{Key: "selection", Light: "#e8e2ff", Dark: "#2e2650"},
		{Key: "accent", Light: "magenta", Dark: "magenta"},
		{Key: "star", Light: "3", Dark: "default"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := highContrastPalette()
	want.Selection = ColorPair{"#e8e2ff", "#2e2650"}
	want.Accent = ColorPair{"magenta", "magenta"}
	want.Star = ColorPair{"3", "default"}
	if th.Name != "high-contrast" || th.Glamour != "dracula" || th.Palette != want {
		t.Errorf("theme: %+v", th)
	}
	if th, err := NewTheme(nil); err != nil || !reflect.DeepEqual(th, DefaultTheme()) {
		t.Errorf("no [theme]: %+v, %v", th, err)
	}
}

func TestNewThemeErrors(t *testing.T) {
	at := func(n int) string { return "config.toml:" + string(rune('0'+n)) }
	tests := []struct {
		name  string
		theme subs.Theme
		want  []string
	}{
		{"unknown theme", subs.Theme{Name: "solarised", NameWhere: at(2)},
			[]string{`config.toml:2: theme.name: no theme "solarised"; the themes are default, high-contrast, ansi`}},
		{"unknown colour name", subs.Theme{Colors: []subs.ThemeColor{{Key: "selected", Light: "red", Dark: "red", Where: at(3)}}},
			[]string{"config.toml:3: theme.selected: no such colour; the colours are accent, text"}},
		{"short hex", subs.Theme{Colors: []subs.ThemeColor{{Key: "text", Light: "#12345", Dark: "red", Where: at(3)}}},
			[]string{`config.toml:3: theme.text: "#12345" is not a colour: give #rrggbb`}},
		{"unknown colour", subs.Theme{Colors: []subs.ThemeColor{{Key: "text", Light: "red", Dark: "purple", Where: at(4)}}},
			[]string{`config.toml:4: theme.text: "purple" is not a colour`}},
		{"number too large", subs.Theme{Colors: []subs.ThemeColor{{Key: "text", Light: "256", Dark: "256", Where: at(4)}}},
			[]string{`config.toml:4: theme.text: "256" is not a colour`}},
		{"glamour", subs.Theme{Glamour: "drakula", GlamourWhere: at(5)},
			[]string{`config.toml:5: theme.glamour: "drakula" is neither one of auto, ascii, dark, dracula`}},
		{"several", subs.Theme{Name: "x", NameWhere: at(2), Colors: []subs.ThemeColor{{Key: "text", Light: "y", Dark: "y", Where: at(3)}}},
			[]string{"config.toml:2: theme.name", "config.toml:3: theme.text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTheme(&tt.theme)
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("errors %q, want %d", lines, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %q\nwant it to start %q", lines[i], w)
				}
			}
		})
	}
}

// TestThemeGlamour: the theme's Glamour style stands in for --style auto;
// a --style given wins, and NO_COLOR wins over both.
func TestThemeGlamour(t *testing.T) {
	th := Theme{Palette: defaultPalette(), Glamour: "dracula"}
	tests := []struct {
		style   string
		noColor bool
		want    string
	}{{"auto", false, "dracula"}, {"light", false, "light"}, {"auto", true, "notty"}}
	for _, tt := range tests {
		opts := testOptions(bundledStore(t))
		opts.Style, opts.NoColor, opts.Theme = tt.style, tt.noColor, &th
		if got := New(opts).glamourStyle(); got != tt.want {
			t.Errorf("style %s, NO_COLOR %v: %s, want %s", tt.style, tt.noColor, got, tt.want)
		}
	}
}

func themedModel(t *testing.T) Model {
	th, err := NewTheme(&subs.Theme{Name: "high-contrast", Colors: []subs.ThemeColor{{Key: "highlight", Light: "green", Dark: "bright_green"}}})
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(bundledStore(t))
	opts.Theme = &th
	return drive(t, New(opts), 100, 30, "/ putin enter")
}

// TestThemeViewStyled keeps the golden of a theme's screen in ANSI
// colours, as "tidings snapshot --color ansi" prints it.
func TestThemeViewStyled(t *testing.T) {
	m := themedModel(t)
	out, err := Screen(m, true)
	if err != nil {
		t.Fatal(err)
	}
	if def, _ := Screen(drive(t, New(testOptions(bundledStore(t))), 100, 30, "/ putin enter"), true); def == out {
		t.Error("the theme changed no colour")
	}
	golden.RequireEqual(t, out)
}

// TestThemeNoColor: with NO_COLOR the terminal's colour profile holds no
// colour, and a theme's colours go through it like the default ones.
func TestThemeNoColor(t *testing.T) {
	var b strings.Builder
	w := colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	if _, err := w.WriteString(themedModel(t).View().Content); err != nil {
		t.Fatal(err)
	}
	if c := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`).FindString(b.String()); c != "" {
		t.Errorf("a colour under NO_COLOR: %q", c)
	}
}
