package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// qualityFlags are the quality subcommand's settings.
type qualityFlags struct {
	data           string
	seed           int64
	seekers, posts int
	today          string
	json           bool
}

// QualityRun is the quality report of one data set.
type QualityRun struct {
	Data    string `json:"data"`
	Seed    int64  `json:"seed"`
	Seekers int    `json:"seekers"`
	Posts   int    `json:"posts"`
	Today   string `json:"today"`
	// Homes of seekers looking for work that lie far from their street (fixtures.FarFromStreet).
	FarFromStreetShare float64        `json:"farFromStreetShare"`
	Quality            engine.Quality `json:"quality"`
}

// runQuality is `jobbridge quality`: it ranks every seeker of the demo data
// and of a generated data set with the in-memory Matcher (no database) and
// reports how good the rankings are (docs/quality.md).
func runQuality(args []string, stdout, stderr io.Writer) error {
	var f qualityFlags
	fs := newFlagSet()
	fs.Init("jobbridge quality", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.data, "data", "demo,generated", "data sets to measure: demo, generated or both (comma-separated)")
	fs.Int64Var(&f.seed, "seed", 42, "generated data: the generator's seed")
	fs.IntVar(&f.seekers, "seekers", 20000, "generated data: seekers")
	fs.IntVar(&f.posts, "posts", 3000, "generated data: posts")
	fs.StringVar(&f.today, "today", fixtures.ReferenceDay, "the day the rules take as today (YYYY-MM-DD)")
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: jobbridge quality [--data demo,generated] [--seekers N] [--posts N] [--seed N] [--today YYYY-MM-DD] [--json]\n\n"+
			"Ranks every seeker's posts with the in-memory matcher (no database) and reports the\n"+
			"quality of the rankings: strengths used by first matches, posts that list no skills,\n"+
			"ties in the top 5, first matches' commutes, and pairings no counsellor would make.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("quality takes no arguments, got %q", fs.Args())
	}
	day, err := time.ParseInLocation(time.DateOnly, f.today, engine.Shanghai)
	if err != nil {
		return fmt.Errorf("--today must be a date YYYY-MM-DD: %w", err)
	}
	if f.seekers <= 0 || f.posts <= 0 {
		return errors.New("--seekers and --posts must be positive")
	}
	var runs []QualityRun
	for _, name := range strings.Split(f.data, ",") {
		var d *fixtures.Dataset
		run := QualityRun{Data: strings.TrimSpace(name), Today: f.today}
		switch run.Data {
		case "demo":
			d, _ = fixtures.DemoDataset()
			run.Seed = fixtures.DemoSeed
		case "generated":
			d = fixtures.Generate(f.seed, fixtures.Counts{Seekers: f.seekers, Posts: f.posts})
			run.Seed = f.seed
		default:
			return fmt.Errorf("--data: unknown data set %q (demo or generated)", run.Data)
		}
		run.Seekers, run.Posts = len(d.Seekers), len(d.Posts)
		q, far, err := measureQuality(d, dayClock(day.Add(9*time.Hour)))
		if err != nil {
			return err
		}
		run.Quality, run.FarFromStreetShare = q, far
		runs = append(runs, run)
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(runs)
	}
	return printQuality(stdout, runs)
}

// dayClock is a clock stopped at one instant.
type dayClock time.Time

func (c dayClock) Now() time.Time { return time.Time(c) }

// measureQuality loads a data set into a Matcher and tallies the first places
// of every seeker looking for work.
// It also returns the share of those seekers whose home lies far from their street.
func measureQuality(d *fixtures.Dataset, clock engine.Clock) (engine.Quality, float64, error) {
	m := engine.NewMatcher(clock)
	d.Feed(m)
	posts := make([]*engine.Post, len(d.Posts))
	for i := range d.Posts {
		posts[i] = &d.Posts[i]
	}
	t := engine.NewQualityTally(posts, fixtures.QualityWatches())
	far := 0
	for i := range d.Seekers {
		s := &d.Seekers[i]
		if !s.LookingForWork() {
			continue
		}
		res, err := m.Matches(s.ID, engine.KindPost, engine.QualityTop)
		if err != nil {
			return engine.Quality{}, 0, fmt.Errorf("matches of %s: %w", s.ID, err)
		}
		t.Add(s, res.Results)
		if fixtures.FarFromStreet(s) {
			far++
		}
	}
	q := t.Report()
	return q, float64(far) / float64(max(1, q.Seekers)), nil
}

// printQuality writes the reports as one Markdown table, a column per data
// set, so a run can be pasted into docs/quality.md as it is.
func printQuality(w io.Writer, runs []QualityRun) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	row := func(label string, cell func(r *QualityRun) string) {
		fmt.Fprint(tw, "| ", label, "\t")
		for i := range runs {
			fmt.Fprint(tw, "| ", cell(&runs[i]), "\t")
		}
		fmt.Fprintln(tw, "|")
	}
	pct := func(v float64) string { return fmt.Sprintf("%.1f %%", 100*v) }
	of := func(v float64, n int) string { return fmt.Sprintf("%.1f %% of %d", 100*v, n) }
	row("data", func(r *QualityRun) string { return r.Data })
	row("---", func(*QualityRun) string { return "---" })
	row("seekers × posts (seed)", func(r *QualityRun) string { return fmt.Sprintf("%d × %d (%d)", r.Seekers, r.Posts, r.Seed) })
	row("seekers looking for work", func(r *QualityRun) string { return fmt.Sprint(r.Quality.Seekers) })
	row("… with any match", func(r *QualityRun) string { return pct(r.Quality.WithMatchShare) })
	row("with strengths: first match uses one", func(r *QualityRun) string {
		return of(r.Quality.StrengthsUsedShare, r.Quality.WithStrengths)
	})
	row("open posts that list no skills", func(r *QualityRun) string { return of(r.Quality.OpenNoSkillsShare, r.Quality.OpenPosts) })
	row("first matches that list no skills", func(r *QualityRun) string { return of(r.Quality.FirstNoSkillsShare, r.Quality.WithMatch) })
	row("top-5 places that list no skills", func(r *QualityRun) string { return of(r.Quality.TopNoSkillsShare, r.Quality.TopPlaces) })
	row("first place tied with second", func(r *QualityRun) string { return pct(r.Quality.FirstTiedShare) })
	row("top 5 all the same score", func(r *QualityRun) string { return of(r.Quality.TopEqualShare, r.Quality.FullTop) })
	row("median top1 − top5 score", func(r *QualityRun) string { return fmt.Sprintf("%.2f", r.Quality.MedianTopGap) })
	row("first match commute, mean / median", func(r *QualityRun) string {
		return fmt.Sprintf("%.1f / %.1f min", r.Quality.FirstCommuteMean, r.Quality.FirstCommuteMedian)
	})
	row("first matches remote", func(r *QualityRun) string { return pct(r.Quality.FirstRemoteShare) })
	row(fmt.Sprintf("homes > %g km from their street's centre", fixtures.FarFromStreetKm), func(r *QualityRun) string {
		return pct(r.FarFromStreetShare)
	})
	for i := range runs[0].Quality.Watches {
		row(runs[0].Quality.Watches[i].Name, func(r *QualityRun) string {
			wf := r.Quality.Watches[i]
			return fmt.Sprintf("%d of %d", wf.Hits, wf.Seekers)
		})
	}
	return tw.Flush()
}
