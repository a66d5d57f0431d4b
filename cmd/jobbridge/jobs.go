package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"jobbridge/engine"
	"jobbridge/jobs"
)

// newScheduler wires the scheduled jobs to the app; serve starts it, the
// jobs subcommand runs one job through it.
func newScheduler(a *app) (engine.JobRunner, error) {
	return jobs.New(a.store, engine.SystemClock{}, a.log, jobs.Standard(a.svc, a.matcher, engine.SystemClock{}))
}

// startJobs starts cron and the catch-up, and writes the control file that
// lets `jobbridge jobs` reach this process. Closing the app stops cron (after
// the HTTP server, before the index and the database) and removes the file.
func (a *app) startJobs(ctx context.Context, addr net.Addr) error {
	sched := a.svc.Jobs.(*jobs.Scheduler)
	sched.Start()
	a.closers = append(a.closers, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return sched.Stop(ctx)
	})
	return a.writeControl(ctx, addr)
}

// controlFile, in the data dir, tells `jobbridge jobs` where the running
// service is and gives it an admin session: with the embedded database a
// second process cannot open the index or see the service's memory, so the
// subcommand asks the service to run the job. The data dir holds the
// database and the encryption key already; the file is 0600 like them.
const controlFile = "control.json"

type control struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

func (a *app) writeControl(ctx context.Context, addr net.Addr) error {
	var admin *engine.User
	for _, u := range a.svc.Users() {
		if u.Role == engine.RoleAdmin && !u.Disabled && (admin == nil || u.ID == "u-admin") {
			admin = u
		}
	}
	if admin == nil {
		return nil
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	sess := &engine.Session{Meta: engine.Meta{ID: a.store.SessionID(token)}, UserID: admin.ID, ExpiresAt: time.Now().AddDate(1, 0, 0)}
	if err := a.store.PutSession(ctx, sess); err != nil {
		return fmt.Errorf("control session: %w", err)
	}
	port := "8080"
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = fmt.Sprint(tcp.Port)
	}
	b, _ := json.Marshal(control{URL: "http://127.0.0.1:" + port, Token: token, PID: os.Getpid()})
	path := filepath.Join(a.cfg.DataDir, controlFile)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("control file: %w", err)
	}
	a.closers = append(a.closers, func(ctx context.Context) error {
		_ = os.Remove(path)
		return a.store.DeleteSession(ctx, sess.ID)
	})
	return nil
}

// jobArgs are the words of `jobbridge jobs`: list, or run NAME, and the
// time of --now.
type jobArgs struct {
	words []string
	at    time.Time
}

// parseJobArgs reads the words after `jobs`. Flags may follow the job's name
// (jobs run NAME --now T): they are parsed into cfg once the names are taken.
func parseJobArgs(cfg *config, fs *flag.FlagSet) (jobArgs, error) {
	var ja jobArgs
	rest := fs.Args()
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		ja.words, rest = append(ja.words, rest[0]), rest[1:]
	}
	if len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return ja, err
		}
		if fs.NArg() > 0 {
			ja.words = append(ja.words, fs.Args()...)
		}
	}
	args := ja.words
	if len(args) == 0 || (args[0] != "list" && args[0] != "run") || (args[0] == "run" && len(args) != 2) || (args[0] == "list" && len(args) != 1) {
		return ja, errors.New("usage: jobbridge jobs list | jobbridge jobs run NAME [--now RFC3339]")
	}
	if cfg.Now != "" {
		t, err := time.Parse(time.RFC3339, cfg.Now)
		if err != nil {
			return ja, fmt.Errorf("--now must be an RFC 3339 time such as 2026-09-01T10:00:00+08:00: %w", err)
		}
		ja.at = t
	}
	return ja, nil
}

// runJobs is `jobbridge jobs list` and `jobbridge jobs run NAME [--now T]`:
// through the server when one runs on the data dir (served), else in this
// process (the job's lease keeps it to one run at a time either way).
func runJobs(ctx context.Context, cfg *config, log *slog.Logger, ja jobArgs, stdout io.Writer, served bool) error {
	args, at := ja.words, ja.at
	if served {
		c, ok := liveControl(ctx, cfg.DataDir)
		if !ok {
			return errors.New("the server running on the data dir does not answer")
		}
		log.Info("asking the running service", "url", c.URL)
		return remoteJobs(ctx, c, args, at, stdout)
	}
	return withApp(ctx, *cfg, log, func(a *app) error {
		if args[0] == "list" {
			list, err := a.svc.Jobs.Schedules(ctx)
			if err != nil {
				return err
			}
			return printSchedules(stdout, list)
		}
		run, err := a.svc.Jobs.RunNow(ctx, args[1], at)
		if err != nil {
			return err
		}
		return printRun(stdout, run)
	})
}

// liveControl reads the control file and checks the service answers.
func liveControl(ctx context.Context, dataDir string) (*control, bool) {
	b, err := os.ReadFile(filepath.Join(dataDir, controlFile))
	if err != nil {
		return nil, false
	}
	var c control
	if json.Unmarshal(b, &c) != nil || c.URL == "" {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.URL+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, false
	}
	res.Body.Close()
	return &c, res.StatusCode == http.StatusOK
}

func remoteJobs(ctx context.Context, c *control, args []string, at time.Time, stdout io.Writer) error {
	method, path := "GET", "/api/v1/admin/schedules"
	if args[0] == "run" {
		method, path = "POST", "/api/v1/admin/schedules/"+url.PathEscape(args[1])+"/run"
		if !at.IsZero() {
			path += "?now=" + url.QueryEscape(at.Format(time.RFC3339))
		}
	}
	req, _ := http.NewRequestWithContext(ctx, method, c.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the service answered %d: %s", res.StatusCode, bytes.TrimSpace(body))
	}
	if args[0] == "list" {
		var out struct{ Results []engine.Schedule }
		if err := json.Unmarshal(body, &out); err != nil {
			return err
		}
		return printSchedules(stdout, out.Results)
	}
	var run engine.JobRun
	if err := json.Unmarshal(body, &run); err != nil {
		return err
	}
	return printRun(stdout, &run)
}

func printSchedules(w io.Writer, list []engine.Schedule) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSCHEDULE (Asia/Shanghai)\tNEXT\tLAST RUN\tRESULT\tCOUNTS")
	for _, s := range list {
		last, result, counts := "never", "", ""
		if r := s.LastRun; r != nil {
			last = r.StartedAt.In(engine.Shanghai).Format("2006-01-02 15:04:05") + " (" + r.Trigger + ")"
			result = r.Result
			if r.Error != "" {
				result += ": " + firstLine(r.Error)
			}
			b, _ := json.Marshal(r.Counts)
			counts = string(b)
		}
		if s.Running {
			result = "running on " + s.Owner
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, s.Spec, s.Next.In(engine.Shanghai).Format("2006-01-02 15:04"), last, result, counts)
	}
	return tw.Flush()
}

func printRun(w io.Writer, run *engine.JobRun) error {
	b, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, string(b))
	if run.Result == engine.RunError {
		return fmt.Errorf("job %s failed: %s", run.Job, firstLine(run.Error))
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
