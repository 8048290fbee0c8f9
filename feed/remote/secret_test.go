package remote

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitCommand(t *testing.T) {
	cases := map[string][]string{
		"pass show miniflux":                  {"pass", "show", "miniflux"},
		`  sh -c 'echo $HOME; rm -rf /'`:      {"sh", "-c", "echo $HOME; rm -rf /"},
		`secret-tool lookup "my server" x\ y`: {"secret-tool", "lookup", "my server", "x y"},
		`a "b\"c" ''`:                         {"a", `b"c`, ""},
	}
	for in, want := range cases {
		got, err := SplitCommand(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", `echo "open`, "it's"} {
		if _, err := SplitCommand(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestResolveSecret(t *testing.T) {
	ctx := t.Context()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	s := Secret{Env: "TIDINGS_SYNC_TOKEN", Value: "from-file", What: "token", Where: "config.toml:3"}
	if v, err := s.Resolve(ctx, getenv); v != "from-file" || err != nil {
		t.Fatalf("%q %v", v, err)
	}
	s.Command = "printf 'from-command\\nsecond line'"
	if v, err := s.Resolve(ctx, getenv); v != "from-command" || err != nil {
		t.Fatalf("%q %v", v, err)
	}
	env["TIDINGS_SYNC_TOKEN"] = "from-env"
	if v, err := s.Resolve(ctx, getenv); v != "from-env" || err != nil {
		t.Fatalf("%q %v", v, err)
	}
	delete(env, "TIDINGS_SYNC_TOKEN")
	// A failing command: its stderr is shown, its stdout (which may hold
	// the secret) never.
	s.Command = `sh -c 'echo hunter2; echo "no such entry" >&2; exit 3'`
	_, err := s.Resolve(ctx, getenv)
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "no such entry") ||
		!strings.HasPrefix(err.Error(), "config.toml:3: secret_command \"sh\"") {
		t.Fatalf("%v", err)
	}
	// No shell: a ; is an argument, not a second command.
	s.Command = "echo one; echo two"
	if v, _ := s.Resolve(ctx, getenv); v != "one; echo two" {
		t.Fatalf("%q", v)
	}
	s.Command = "printf ''"
	if _, err := s.Resolve(ctx, getenv); err == nil || !strings.Contains(err.Error(), "printed no token") {
		t.Fatalf("%v", err)
	}
	if _, err := (Secret{Env: "X", What: "password", Where: "c:1"}).Resolve(ctx, getenv); err == nil ||
		err.Error() != "c:1: no password: set X, secret_command or password there" {
		t.Fatalf("%v", err)
	}
}
