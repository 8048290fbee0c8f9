package cli

import (
	"context"

	"tidings/feed/remote"
	"tidings/feed/remote/greader"
	"tidings/feed/remote/miniflux"
	"tidings/feed/subs"
)

// dialServer builds the client of a [sync] account: its secret read
// (from the environment, the secret command or the file), its HTTP client
// bounded and reading the server's clock.
func dialServer(ctx context.Context, cfg subs.Sync, where string, getenv func(string) string) (remote.Server, *remote.Clock, error) {
	secret := remote.Secret{Command: cfg.SecretCommand, Where: where,
		Env: "TIDINGS_SYNC_PASSWORD", Value: cfg.Password, What: "password"}
	if cfg.UsesToken() {
		secret.Env, secret.Value, secret.What = "TIDINGS_SYNC_TOKEN", cfg.Token, "token"
	}
	value, err := secret.Resolve(ctx, getenv)
	if err != nil {
		return nil, nil, err
	}
	clock := &remote.Clock{}
	hc := clock.Wrap(remote.NewHTTPClient())
	if cfg.Kind == subs.SyncGReader {
		s, err := greader.New(greader.Options{URL: cfg.URL, Username: cfg.Username, Password: value, HTTP: hc})
		return s, clock, err
	}
	o := miniflux.Options{URL: cfg.URL, HTTP: hc}
	if cfg.UsesToken() {
		o.Token = value
	} else {
		o.Username, o.Password = cfg.Username, value
	}
	s, err := miniflux.New(o)
	return s, clock, err
}
