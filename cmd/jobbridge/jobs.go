package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
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

// startJobs starts cron and the catch-up. Closing the app stops cron (after
// the HTTP server, before the index and the database).
func (a *app) startJobs() {
	sched := a.svc.Jobs.(*jobs.Scheduler)
	sched.Start()
	a.closers = append(a.closers, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return sched.Stop(ctx)
	})
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
// through the server's control socket when one runs on the data dir (ctl),
// else in this process (the job's lease keeps it to one run at a time either way).
func runJobs(ctx context.Context, cfg *config, log *slog.Logger, ja jobArgs, stdout io.Writer, ctl *control) error {
	if ctl != nil {
		log.Info("asking the running service", "pid", ctl.busy.Holder.PID)
		return ctl.jobs(ctx, ja, stdout)
	}
	return withApp(ctx, *cfg, log, func(a *app) error {
		if ja.words[0] == "list" {
			list, err := a.svc.Jobs.Schedules(ctx)
			if err != nil {
				return err
			}
			return printSchedules(stdout, list)
		}
		run, err := a.svc.Jobs.RunNow(ctx, ja.words[1], ja.at)
		if err != nil {
			return err
		}
		return printRun(stdout, run)
	})
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
