package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"jobbridge/api"
	"jobbridge/engine"
)

// controlSocket, in the data dir, is the running server's control channel:
// a Unix socket (0600, in the 0700 data dir) that answers only processes of
// the server's own user, who can read the database files and the key anyway.
// The commands that need the server's memory or its open database (jobs,
// import, export, check, backup) ask it there while it holds the data dir.
// No credential is written anywhere: the socket is the way in, it is removed
// when the server stops and, after a kill -9 left it behind, when the next
// one starts (a stale socket answers nobody).
const controlSocket = "control.sock"

// legacyControlFile is where versions before the socket kept a token and a
// 365-day admin session; a start removes it, and the sessions with it.
const legacyControlFile = "control.json"

// maxControlPath is the longest socket path every Unix accepts (sun_path is
// 104 bytes on the BSDs and macOS, 108 on Linux, with the closing NUL).
const maxControlPath = 103

// controlListener is the control socket a server listens on.
type controlListener struct {
	net.Listener
	path    string
	tempDir string // a private directory holding the socket when the data dir's path is too long for one
}

// listenControl removes what an earlier server left and listens on the
// control socket: <data-dir>/control.sock, or a socket in a private 0700
// temporary directory when that path is too long (the lock file names it).
func listenControl(dataDir string) (*controlListener, error) {
	_ = os.Remove(filepath.Join(dataDir, legacyControlFile))
	path, err := filepath.Abs(filepath.Join(dataDir, controlSocket))
	if err != nil {
		return nil, err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	cl := &controlListener{path: path}
	if len(path) > maxControlPath {
		if cl.tempDir, err = os.MkdirTemp("", "jobbridge-control-"); err != nil {
			return nil, fmt.Errorf("control socket: %w", err)
		}
		cl.path = filepath.Join(cl.tempDir, controlSocket)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: cl.path, Net: "unix"})
	if err == nil {
		err = os.Chmod(cl.path, 0o600)
	}
	if err != nil {
		cl.remove()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	cl.Listener = ownerOnly{ln}
	return cl, nil
}

// remove deletes the private directory, if one was made for the socket (the
// listener removes the socket itself when it closes).
func (cl *controlListener) remove() {
	if cl.tempDir != "" {
		_ = os.RemoveAll(cl.tempDir)
	}
}

// ownerOnly accepts connections from processes of this process's user only.
type ownerOnly struct{ *net.UnixListener }

func (l ownerOnly) Accept() (net.Conn, error) {
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		if uid, err := peerUID(c); err == nil && uid == os.Getuid() {
			return c, nil
		}
		c.Close()
	}
}

// serveControl answers the control channel until ctx ends; the requests'
// contexts end with ctx, so a long import stops with the server. The returned
// function waits for the handlers to return.
func (a *app) serveControl(ctx context.Context, ln *controlListener) (stop func()) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /jobs", a.controlSchedules)
	mux.HandleFunc("POST /jobs/{name}/run", a.controlRunJob)
	mux.HandleFunc("POST /import", a.controlImport)
	mux.HandleFunc("GET /export", a.controlExport)
	mux.HandleFunc("GET /check", a.controlCheck)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Warn("control socket", "err", err)
		}
	}()
	a.log.Info("control socket", "path", ln.path)
	return func() {
		shutdown(a.log, srv)
		ln.remove()
	}
}

func (a *app) controlSchedules(w http.ResponseWriter, r *http.Request) {
	list, err := a.svc.Jobs.Schedules(r.Context())
	controlReply(w, list, err)
}

func (a *app) controlRunJob(w http.ResponseWriter, r *http.Request) {
	var at time.Time
	if now := r.URL.Query().Get("now"); now != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, now); err != nil {
			controlReply(w, nil, err)
			return
		}
	}
	run, err := a.svc.Jobs.RunNow(r.Context(), r.PathValue("name"), at)
	controlReply(w, run, err)
}

func (a *app) controlImport(w http.ResponseWriter, r *http.Request) {
	im := api.NewImporter(a.svc, a.lrs)
	err := im.File(r.Context(), r.URL.Query().Get("name"), r.Body)
	if err == nil && r.URL.Query().Get("last") != "" { // the import's last file: check what it leaves
		err = im.Done()
	}
	st := im.Stats
	a.log.Info("import through the control socket", "name", r.URL.Query().Get("name"), "records", st.Records, "err", err)
	if err != nil {
		err = fmt.Errorf("after %d records: %w", st.Records, err)
	}
	controlReply(w, st, err)
}

func (a *app) controlExport(w http.ResponseWriter, r *http.Request) {
	k, err := parseKind(r.URL.Query().Get("kind"))
	if err != nil {
		controlReply(w, nil, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	if _, err := export(r.Context(), a.store, k, w); err != nil {
		a.log.Warn("export through the control socket", "kind", k, "err", err)
		panic(http.ErrAbortHandler) // the client sees the stream cut, not a short export
	}
}

// controlError is how the control channel reports a failure.
type controlError struct {
	Error string `json:"error"`
}

func controlReply(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		v = controlError{err.Error()}
	}
	_ = json.NewEncoder(w).Encode(v)
}

// control is a client of a running server's control socket.
type control struct {
	busy *busyError
	c    *http.Client
}

// dialControl is the control channel of the server holding the data dir.
func dialControl(dataDir string, busy *busyError) *control {
	path := busy.Holder.Control
	if path == "" {
		path = filepath.Join(dataDir, controlSocket)
	}
	return &control{busy: busy, c: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
	}}}
}

// do sends a request and, on 200, copies the answer to out (decoding it
// when out is not an io.Writer).
func (c *control) do(ctx context.Context, method, path string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://jobbridge"+path, body)
	if err != nil {
		return err
	}
	res, err := c.c.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w, but its control socket does not answer (%v): is it still starting?", c.busy, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		var ce controlError
		if json.Unmarshal(b, &ce) != nil || ce.Error == "" {
			ce.Error = string(bytes.TrimSpace(b))
		}
		return fmt.Errorf("the server (pid %d): %s", c.busy.Holder.PID, ce.Error)
	}
	if w, ok := out.(io.Writer); ok {
		_, err = io.Copy(w, res.Body)
		return err
	}
	return json.NewDecoder(res.Body).Decode(out)
}

// jobs lists or runs the scheduled jobs through the server.
func (c *control) jobs(ctx context.Context, ja jobArgs, stdout io.Writer) error {
	if ja.words[0] == "list" {
		var list []engine.Schedule
		if err := c.do(ctx, "GET", "/jobs", nil, &list); err != nil {
			return err
		}
		return printSchedules(stdout, list)
	}
	path := "/jobs/" + url.PathEscape(ja.words[1]) + "/run"
	if !ja.at.IsZero() {
		path += "?now=" + url.QueryEscape(ja.at.Format(time.RFC3339))
	}
	var run engine.JobRun
	if err := c.do(ctx, "POST", path, nil, &run); err != nil {
		return err
	}
	return printRun(stdout, &run)
}

// importPaths sends the files to the server one by one.
func (c *control) importPaths(ctx context.Context, log *slog.Logger, paths []string) error {
	files, err := ndjsonFiles(paths)
	if err != nil {
		return err
	}
	total := 0
	for i, f := range files {
		if err := c.importFile(ctx, f, i == len(files)-1, &total); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("import interrupted after %d records; the server stored whole batches of %s: "+
					"import the same files again to finish (records are put by id)", total, filepath.Base(f))
			}
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	log.Info("import through the server", "files", len(files), "records", total)
	return nil
}

// importFile sends one file; the server checks what the import leaves after the last.
func (c *control) importFile(ctx context.Context, path string, last bool, total *int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var st api.ImportStats
	q := url.Values{"name": {filepath.Base(path)}}
	if last {
		q.Set("last", "1")
	}
	err = c.do(ctx, "POST", "/import?"+q.Encode(), f, &st)
	*total += st.Records
	return err
}

// export writes one kind, as the server reads it, to w.
func (c *control) export(ctx context.Context, kind engine.Kind, w io.Writer) error {
	return c.do(ctx, "GET", "/export?kind="+url.QueryEscape(string(kind)), nil, w)
}

// legacySessionTTL: no login lasts this long (the API's sessions last 12 h);
// a session that does is one earlier versions made for their control file.
const legacySessionTTL = 7 * 24 * time.Hour

// removeLegacyControl deletes the control file and the long-lived admin
// sessions of earlier versions (one was left behind at every kill -9).
func (a *app) removeLegacyControl(ctx context.Context) error {
	_ = os.Remove(filepath.Join(a.cfg.DataDir, legacyControlFile))
	n, err := a.store.DeleteSessionsExpiringAfter(ctx, time.Now().Add(legacySessionTTL))
	if err != nil {
		return err
	}
	if n > 0 {
		a.log.Warn("removed long-lived sessions left by an earlier version's control file", "sessions", n)
	}
	return nil
}
