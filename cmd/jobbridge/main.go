// Command jobbridge serves the jobbridge API and pages, and runs its
// maintenance subcommands: import, export, reindex, jobs, quality and version.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/fixtures"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "jobbridge:", err)
			os.Exit(1)
		}
	}
}

const usage = `jobbridge — employment matching and training tracking for a district disability employment service

Usage:
  jobbridge [serve] [--addr :8080] [--data-dir ./data] [--mongo-uri URI] [--fixtures auto|on|off]
  jobbridge import FILE|DIR ...     import NDJSON records (idempotent by id)
  jobbridge export --kind KIND      write one kind as NDJSON to stdout (see docs/import.md)
  jobbridge reindex                 rebuild the search index from the store
  jobbridge check                   compare store, index and in-memory state; non-zero on drift
  jobbridge jobs list               the scheduled jobs, their next slot and last run
  jobbridge jobs run NAME [--now T] run a job now (as if it were T, RFC 3339)
  jobbridge quality [--json]        ranking quality over the demo and generated data (no database)
  jobbridge version

Every subcommand takes --data-dir, --mongo-uri and --log-level; each flag also
reads JOBBRIDGE_<NAME> (JOBBRIDGE_DATA_DIR, JOBBRIDGE_MONGO_URI, …).
Run "jobbridge COMMAND --help" for a command's flags.
`

// run is the whole program: it parses the subcommand and runs it until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprint(stdout, usage)
		return nil
	}
	var cfg config
	fs := newFlagSet()
	fs.Init("jobbridge "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var kind string
	switch cmd {
	case "serve":
		cfg.bind(fs, true)
	case "import", "reindex", "check":
		cfg.bind(fs, false)
	case "export":
		cfg.bind(fs, false)
		fs.StringVar(&kind, "kind", "", "kind to export: skill, employer, seeker, post, class, user, enrollment, statement, referral, placement, inbox")
	case "jobs":
		cfg.bind(fs, false)
		fs.StringVar(&cfg.Now, "now", "", "jobs run: run as if it were this time (RFC 3339)")
	case "quality":
		return runQuality(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "jobbridge", version)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	var (
		ja  jobArgs
		k   engine.Kind
		err error
	)
	switch cmd {
	case "jobs":
		ja, err = parseJobArgs(&cfg, fs)
	case "import":
		if fs.NArg() == 0 {
			err = errors.New("import needs FILE or DIR")
		}
	case "export":
		k, err = parseKind(kind)
	}
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	slog.SetDefault(log)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	lock, err := lockDataDir(cfg.DataDir, cmd)
	if busy := (*busyError)(nil); errors.As(err, &busy) && busy.serving() {
		ctl := dialControl(cfg.DataDir, busy)
		switch cmd { // these go through the server; the others refuse
		case "jobs":
			return runJobs(ctx, &cfg, log, ja, stdout, ctl)
		case "import":
			return ctl.importPaths(ctx, log, fs.Args())
		case "export":
			return ctl.export(ctx, k, stdout)
		case "check":
			return ctl.check(ctx, stdout)
		}
	}
	if err != nil {
		return refuseBusy(cmd, err)
	}
	defer lock.release()
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, lock)
	case "import":
		return withApp(ctx, cfg, log, func(a *app) error {
			start := time.Now()
			st, err := importPaths(ctx, a.svc, a.lrs, fs.Args()...)
			secs := time.Since(start).Seconds()
			log.Info("import", "records", st.Records, "byKind", st.ByKind, "seconds", fmt.Sprintf("%.1f", secs),
				"recordsPerSecond", fmt.Sprintf("%.0f", float64(st.Records)/secs))
			if err != nil && ctx.Err() != nil {
				return fmt.Errorf("import interrupted after %d records, each stored and indexed whole; "+
					"import the same files again to finish (records are put by id)", st.Records)
			}
			return err
		})
	case "export":
		return withApp(ctx, cfg, log, func(a *app) error {
			_, err := export(ctx, a.store, k, stdout)
			return err
		})
	case "jobs":
		return runJobs(ctx, &cfg, log, ja, stdout, nil)
	case "check":
		return runCheckOffline(ctx, cfg, stdout)
	case "reindex":
		if err := os.RemoveAll(filepath.Join(cfg.DataDir, "index")); err != nil {
			return err
		}
		return withApp(ctx, cfg, log, func(a *app) error { return nil })
	}
	return nil
}

// newFlagSet makes a flag set that returns errors instead of exiting.
func newFlagSet() *flag.FlagSet { return flag.NewFlagSet("jobbridge", flag.ContinueOnError) }

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// withApp opens the app, loads it, runs fn and closes it.
func withApp(ctx context.Context, cfg config, log *slog.Logger, fn func(*app) error) error {
	a, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	if err := a.load(ctx); err != nil {
		return err
	}
	return fn(a)
}

// serve runs the HTTP server until ctx ends, then shuts down in reverse start
// order. A signal while it starts is a stop like any other.
func serve(ctx context.Context, cfg config, log *slog.Logger, lock *dataLock) error {
	log.Info("starting jobbridge", append([]any{"version", version}, cfg.masked()...)...)
	start := time.Now()
	a, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close(context.Background())

	var ready atomic.Bool
	web := api.New(api.Config{Service: a.svc, LRS: a.lrs, Matcher: a.matcher, Log: log, Content: fixtures.Content(), TrustedProxies: cfg.proxies(), Ready: func(context.Context) error {
		if !ready.Load() {
			return errors.New("loading")
		}
		return nil
	}})
	limits := cfg.limits
	if limits == (httpLimits{}) {
		limits = defaultLimits
	}
	if limits.MaxConns, err = connLimit(cmp.Or(cfg.MaxConns, limits.MaxConns), log); err != nil {
		return err
	}
	srv := limits.server(web.Handler())
	ln, err := listen(cfg.Addr, limits.MaxConns)
	if err != nil {
		return err
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	defer shutdown(log, srv)
	log.Info("listening", "addr", ln.Addr().String(), "maxConns", limits.MaxConns)
	if cfg.MetricsAddr != "" {
		ops := limits.server(web.OpsHandler())
		oln, err := listen(cfg.MetricsAddr, metricsConns)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		go func() { errc <- ops.Serve(oln) }()
		defer shutdown(log, ops)
		log.Info("operators' listener", "addr", oln.Addr().String())
	}

	if err := a.start(ctx); err != nil {
		if ctx.Err() != nil {
			log.Info("stopped while starting")
			return nil
		}
		return err
	}
	ctl, err := listenControl(cfg.DataDir)
	if err != nil {
		return err
	}
	defer a.serveControl(ctx, ctl)()
	if err := lock.serving(ctl.path); err != nil {
		return err
	}
	ready.Store(true)
	log.Info("ready", "ms", time.Since(start).Milliseconds())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		log.Info("shutting down")
		return nil
	}
}

// start loads the app, creates the first admin, loads the demo data when
// asked, starts the feed's poll and the scheduled jobs, and removes what
// earlier versions left for their control channel.
func (a *app) start(ctx context.Context) error {
	if err := a.load(ctx); err != nil {
		return err
	}
	empty, err := a.ensureAdmin(ctx)
	if err != nil {
		return err
	}
	if a.cfg.Fixtures == "on" || (a.cfg.Fixtures == "auto" && empty && a.db != nil) {
		files, days := fixtures.DemoAt(a.svc.Clock.Now())
		im := api.NewImporter(a.svc, a.lrs)
		if err := im.Files(ctx, files); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		a.log.Info("loaded demo data", "records", im.Stats.Records, "byKind", im.Stats.ByKind, "asOf", fixtures.DemoAsOf, "datesMovedDays", days)
	}
	if a.db == nil {
		go a.poll(ctx, 5*time.Second)
	}
	a.startJobs()
	return a.removeLegacyControl(ctx)
}

// shutdown stops the HTTP server, letting requests in flight finish for up to 15 s.
func shutdown(log *slog.Logger, srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
}

// poll picks up other replicas' writes to a shared MongoDB.
func (a *app) poll(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.svc.Poll(ctx); err != nil {
				a.log.Warn("poll", "err", err)
			} else if n > 0 {
				a.log.Debug("poll", "applied", n)
			}
			if n, err := a.lrs.Poll(ctx); err != nil {
				a.log.Warn("poll lrs", "err", err)
			} else if n > 0 {
				a.log.Debug("poll lrs", "applied", n)
			}
		}
	}
}
