package minifluxtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"
)

// Server is a Miniflux running for one test, with an admin account, an API
// key and the Google Reader API switched on for that account.
type Server struct {
	// URL is Miniflux's root, e.g. http://127.0.0.1:40123; the REST API is
	// under URL+"/v1", the Google Reader API's ClientLogin at
	// URL+"/accounts/ClientLogin" and its calls under GReaderURL.
	URL string
	// GReaderURL is URL+"/reader/api/0".
	GReaderURL string

	Username, Password string // the admin account (HTTP basic auth, web login)
	// APIKey goes in the X-Auth-Token header of REST calls; it was made with
	// POST /v1/api-keys.
	APIKey string
	// GReaderUsername and GReaderPassword are ClientLogin's Email and
	// Passwd, the Google Reader API's own credentials, set on Miniflux's
	// integrations page.
	GReaderUsername, GReaderPassword string

	t        testing.TB
	miniflux string // the binary
	db       *cluster
	port     int
	proc     *proc    // nil while stopped
	logs     []string // the output of each stopped run
}

// Start starts PostgreSQL and Miniflux, creates the API key and switches
// the Google Reader API on. It skips the test when the tools are missing
// (see the package comment); everything is stopped and removed at cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	tl := findTools(t)
	s := &Server{
		t: t, miniflux: tl.miniflux,
		Username: "admin", Password: "admin-password-1",
		GReaderUsername: "reader", GReaderPassword: "reader-password-1",
	}
	t0 := time.Now()
	s.db = startCluster(t, tl)
	t1 := time.Now()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	s.port = port
	s.URL = "http://127.0.0.1:" + strconv.Itoa(port)
	s.GReaderURL = s.URL + "/reader/api/0"
	t.Cleanup(s.cleanup)
	s.Start()
	t2 := time.Now()
	if s.APIKey, err = s.createAPIKey(); err != nil {
		t.Fatal(err)
	}
	if err := s.enableGoogleReader(); err != nil {
		t.Fatal(err)
	}
	// The figures a slow CI run is judged by; shown with go test -v.
	t.Logf("minifluxtest: PostgreSQL ready in %v, Miniflux (migrations) in %v, API key and Google Reader in %v",
		t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), time.Since(t2).Round(time.Millisecond))
	return s
}

// Start starts Miniflux (again, after Stop) on the same port and database,
// and waits until it answers its health check.
func (s *Server) Start() {
	s.t.Helper()
	if s.proc != nil {
		s.t.Fatal("minifluxtest: Start while Miniflux is running; call Stop first")
	}
	cmd := exec.Command(s.miniflux)
	cmd.Env = s.env()
	p, err := startProc("miniflux", cmd)
	if err != nil {
		s.t.Fatal(err)
	}
	s.proc = p
	if err := waitFor(p, "answering "+s.URL+"/healthcheck", 60*time.Second, s.healthy); err != nil {
		s.t.Fatal(err)
	}
}

// Stop stops Miniflux (PostgreSQL keeps running): the server is down for
// the client until Start.
func (s *Server) Stop() {
	s.t.Helper()
	if s.proc == nil {
		return
	}
	s.proc.stop(os.Interrupt, 10*time.Second)
	s.logs = append(s.logs, s.proc.out.String())
	s.proc = nil
}

// env is Miniflux's whole configuration; nothing of the caller's
// environment reaches it.
func (s *Server) env() []string {
	return []string{
		"PATH=/usr/bin:/bin",
		"DATABASE_URL=" + s.db.dsn(),
		"RUN_MIGRATIONS=1",
		"CREATE_ADMIN=1",
		"ADMIN_USERNAME=" + s.Username,
		"ADMIN_PASSWORD=" + s.Password,
		"LISTEN_ADDR=127.0.0.1:" + strconv.Itoa(s.port),
		"BASE_URL=" + s.URL,
		// The test serves its feeds on 127.0.0.1.
		"FETCHER_ALLOW_PRIVATE_NETWORKS=1",
		// No background polling: feeds are fetched only when the test asks
		// (PUT /v1/feeds/{id}/refresh), so what a sync sees is what the test
		// put there.
		"DISABLE_SCHEDULER_SERVICE=1",
		"WORKER_POOL_SIZE=2",
		"LOG_LEVEL=info",
		"LOG_DATE_TIME=1",
	}
}

// healthy reports whether Miniflux answers its health check (which also
// checks its database).
func (s *Server) healthy() bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/healthcheck", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Client is a REST client of the admin account, authenticated by the API
// key.
func (s *Server) Client() *miniflux.Client {
	return miniflux.NewClient(s.URL, s.APIKey)
}

// createAPIKey makes an API key for the admin account through the REST API
// (POST /v1/api-keys, authenticated with the account's password).
func (s *Server) createAPIKey() (string, error) {
	c := miniflux.NewClient(s.URL, s.Username, s.Password)
	key, err := c.CreateAPIKey("tidings tests")
	if err != nil {
		return "", fmt.Errorf("create an API key on %s: %w", s.URL, err)
	}
	return key.Token, nil
}

// cleanup stops Miniflux and, when the test failed, logs what Miniflux
// wrote; PostgreSQL's own cleanup runs after this one.
func (s *Server) cleanup() {
	s.Stop()
	if s.t.Failed() {
		for i, l := range s.logs {
			s.t.Logf("miniflux output (run %d of %d):\n%s", i+1, len(s.logs), l)
		}
		s.t.Logf("postgres output:\n%s", s.db.proc.out.tail(8000))
	}
}
