package subs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

// TestSyncTable reads [sync] tables, good and bad: every problem names
// the file and line.
func TestSyncTable(t *testing.T) {
	good := "# feeds\n\n[sync]\nkind = \"miniflux\"\nurl = \"https://rss.example.org\"\nsecret_command = \"pass show miniflux\"\n"
	path := writeConfig(t, good, 0o600)
	cfg, _, warnings, err := Load(path)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("%v %v", err, warnings)
	}
	want := Sync{Kind: "miniflux", URL: "https://rss.example.org", SecretCommand: "pass show miniflux", Line: 3}
	if cfg.Sync == nil || *cfg.Sync != want || !cfg.Sync.UsesToken() || cfg.Sync.HoldsSecret() {
		t.Fatalf("%+v", cfg.Sync)
	}
	for _, tc := range []struct{ text, want string }{
		{"[sync]\nurl = \"https://x.example\"\n", "config.toml:1: sync.kind is missing"},
		{"[sync]\nkind = \"feedbin\"\nurl = \"https://x.example\"\n", "config.toml:2: sync.kind must be \"miniflux\" or \"greader\", not \"feedbin\""},
		{"[sync]\nkind = \"miniflux\"\n", "config.toml:1: sync.url is missing"},
		{"\n[sync]\nkind = \"miniflux\"\nurl = \"ftp://x.example\"\n", "config.toml:4: sync.url must be an http or https address"},
		{"[sync]\nkind = \"miniflux\"\nurl = \"https://me:pw@x.example\"\n", "config.toml:3: sync.url must be an http or https address without a user"},
		{"[sync]\nkind = \"greader\"\nurl = \"https://x.example\"\npassword = \"p\"\n", "config.toml:1: sync.username is missing"},
		{"[sync]\nkind = \"greader\"\nurl = \"https://x.example\"\nusername = \"u\"\ntoken = \"t\"\n", "config.toml:5: sync.token is for Miniflux's API"},
		{"[sync]\nkind = \"miniflux\"\nurl = \"https://x.example\"\ntoken = 42\n", "config.toml:4: sync.token must be a string, not an integer"},
	} {
		_, _, _, err := Load(writeConfig(t, tc.text, 0o600))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got %v\nwant …%s", tc.text, err, tc.want)
		}
	}
}

// TestSyncSecretWarning: a file holding a secret that others can read
// gets a warning; a private one, or one with no secret, none. The
// warning never quotes the secret.
func TestSyncSecretWarning(t *testing.T) {
	text := "[sync]\nkind = \"miniflux\"\nurl = \"https://x.example\"\ntoken = \"s3cr3t-token\"\n"
	path := writeConfig(t, text, 0o644)
	_, _, warnings, err := Load(path)
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "config.toml:1: this file holds the sync token and others can read it (mode 0644): chmod 600") {
		t.Fatalf("%v %q", err, warnings)
	}
	if strings.Contains(warnings[0], "s3cr3t") {
		t.Fatal("the warning quotes the token")
	}
	if _, _, warnings, _ := Load(writeConfig(t, text, 0o600)); len(warnings) != 0 {
		t.Fatalf("private file: %q", warnings)
	}
	noSecret := "[sync]\nkind = \"greader\"\nurl = \"https://x.example\"\nusername = \"me\"\n"
	if _, _, warnings, _ := Load(writeConfig(t, noSecret, 0o644)); len(warnings) != 0 {
		t.Fatalf("no secret: %q", warnings)
	}
}

// TestSaveKeepsSyncAndMode: adding a feed keeps [sync] and the file's
// mode; a new file holding a secret is made private.
func TestSaveKeepsSyncAndMode(t *testing.T) {
	text := "[sync]\nkind = \"greader\"\nurl = \"https://x.example/api/greader.php\"\nusername = \"me\"\npassword = \"pw\"\n"
	path := writeConfig(t, text, 0o640)
	cfg, _, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Add(Subscription{URL: "./local.xml"})
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _, _, err := Load(path)
	if err != nil || again.Sync == nil || again.Sync.Password != "pw" || len(again.Feeds) != 1 {
		t.Fatalf("%+v %v", again, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %04o, want 0640", fi.Mode().Perm())
	}
	fresh := filepath.Join(t.TempDir(), "new.toml")
	if err := cfg.Save(fresh); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o600 {
		t.Fatalf("new file holding a password: mode %04o, want 0600", fi.Mode().Perm())
	}
}
