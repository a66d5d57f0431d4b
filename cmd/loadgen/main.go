// Command loadgen measures the matching API over real HTTP on this machine:
// it starts a jobbridge stack in-process on 127.0.0.1 with generated data (or
// is pointed at a running one on loopback) and drives
// GET /api/v1/seekers/{id}/matches for random seekers with a counsellor's
// token from many clients, then prints req/s, latency percentiles and errors.
// With -guessers N it measures the same load again while N clients send
// wrong-password logins, with the login limits on and (in-process) off.
//
//	go run ./cmd/loadgen                      # 10,000 posts, 32 clients, 20 s
//	go run ./cmd/loadgen -target http://127.0.0.1:8080 -user demo-counsellor -password jobbridge-demo
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"time"
)

// options are the command's flags.
type options struct {
	duration time.Duration
	warmup   time.Duration
	requests int
	clients  int
	limit    int
	seed     uint64

	// In-process stack.
	posts, seekers, classes int
	dataDir                 string

	// A running server instead.
	target, user, password string

	cpuProfile string
	guessers   int
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
		}
		os.Exit(1)
	}
}

// run parses the flags, brings up (or reaches) the server, runs the load and
// prints the report; it fails when any request failed.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long to measure (after the warm-up)")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "load before measuring, not counted (0 for none)")
	fs.IntVar(&o.requests, "requests", 1_000_000, "hard maximum of requests sent, warm-up included")
	fs.IntVar(&o.clients, "clients", 32, "concurrent clients, each with one request in flight")
	fs.IntVar(&o.limit, "limit", 20, "?limit= of each matches request")
	fs.Uint64Var(&o.seed, "seed", 42, "seed of the generated data and of the clients' choice of seekers")
	fs.IntVar(&o.posts, "posts", 10000, "in-process: generated posts")
	fs.IntVar(&o.seekers, "seekers", 2000, "in-process: generated seekers (the ids the clients pick from)")
	fs.IntVar(&o.classes, "classes", 200, "in-process: generated classes")
	fs.StringVar(&o.dataDir, "data-dir", "", "in-process: data directory (default a temporary one, removed at exit)")
	fs.StringVar(&o.target, "target", "", "base URL of a running jobbridge on loopback instead (e.g. http://127.0.0.1:8080)")
	fs.StringVar(&o.user, "user", "", "with -target: a counsellor's username")
	fs.StringVar(&o.password, "password", "", "with -target: its password")
	fs.IntVar(&o.guessers, "guessers", 0, "then measure again while this many clients guess passwords (limits on; in-process also off, as before the limits)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured window (server and clients alike when in-process) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.duration <= 0 || o.requests <= 0 || o.clients <= 0 || o.warmup < 0 {
		return errors.New("-duration, -requests and -clients must be positive, -warmup not negative")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	slog.SetDefault(log)

	var (
		base, token string
		unlimited   string // in-process: the same service behind login limits turned off
		seekerIDs   []string
		setup       string
	)
	if o.target == "" {
		st, err := startStack(ctx, o, log)
		if err != nil {
			return err
		}
		defer st.close()
		base, seekerIDs, unlimited = st.base, st.seekerIDs, st.unlimited
		if token, err = login(ctx, base, st.user, st.password); err != nil {
			return err
		}
		setup = fmt.Sprintf("in-process stack on %s: embedded FerretDB + store + Bleve index + matcher; "+
			"generated %d posts, %d seekers, %d employers, %d classes (seed %d), imported in %v",
			base, st.counts.Posts, st.counts.Seekers, st.counts.Employers, st.counts.Classes, o.seed,
			st.importTime.Round(time.Millisecond))
	} else {
		if err := checkLoopback(o.target); err != nil {
			return err
		}
		if o.user == "" || o.password == "" {
			return errors.New("-target needs -user and -password of a counsellor")
		}
		base = o.target
		var err error
		if token, err = login(ctx, base, o.user, o.password); err != nil {
			return err
		}
		if seekerIDs, err = listSeekers(ctx, base, token, 2000); err != nil {
			return err
		}
		setup = fmt.Sprintf("running server %s as %s; %d seekers listed", base, o.user, len(seekerIDs))
	}
	if len(seekerIDs) == 0 {
		return errors.New("no seekers to match")
	}

	fmt.Fprintf(stdout, "loadgen: %s\n", setup)
	fmt.Fprintf(stdout, "loadgen: GET /api/v1/seekers/{id}/matches?limit=%d, random seekers, %d clients, warm-up %v, %v, at most %d requests, GOMAXPROCS %d\n",
		o.limit, o.clients, o.warmup, o.duration, o.requests, runtime.GOMAXPROCS(0))
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	l := load{
		base: base, token: token, seekers: seekerIDs, limit: o.limit,
		clients: o.clients, warmup: o.warmup, duration: o.duration, maxRequests: o.requests, seed: o.seed,
	}
	rep := drive(ctx, l)
	rep.print(stdout)
	if o.guessers <= 0 {
		return failed(rep)
	}
	phases := []phase{{name: "matches alone", matches: rep}}
	m, g := underGuessing(ctx, l, o.guessers)
	phases = append(phases, phase{fmt.Sprintf("+ %d guessers, login limits on", o.guessers), m, g})
	if unlimited != "" {
		off := l
		off.base = unlimited
		m, g := underGuessing(ctx, off, o.guessers)
		phases = append(phases, phase{fmt.Sprintf("+ %d guessers, limits off (as before)", o.guessers), m, g})
	}
	fmt.Fprintf(stdout, "loadgen: the same load while %d clients send wrong-password logins for guess-0…guess-%d from 127.0.0.1\n", o.guessers, o.guessers-1)
	printPhases(stdout, phases)
	for _, p := range phases {
		if err := failed(p.matches); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	return nil
}

// failed is the error of a run with a failed request, or none measured.
func failed(rep *report) error {
	if rep.errors > 0 {
		return fmt.Errorf("%d of %d requests failed", rep.errors, rep.requests)
	}
	if rep.requests == 0 {
		return errors.New("no request was measured")
	}
	return nil
}
