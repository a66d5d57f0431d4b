package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"jobbridge/engine"
)

// Rematch is the nightly rematch job (DESIGN §7): it recomputes the top
// matches of every seeker who is seeking or in training and files an inbox
// item for the counsellor when posts are new to them. New means not in the
// match set the seeker had last time; a seeker seen for the first time gets
// a match set and no item, so the first run does not flood the inbox; so does
// a seeker whose last set was ranked by an older score version.
type Rematch struct {
	Service *engine.Service
	Matcher *engine.Matcher
	Clock   engine.Clock
	// Limit is how many top matches are compared (default engine.DefaultMatchLimit).
	Limit int
}

// Run is one pass over the seekers.
func (j *Rematch) Run(ctx context.Context) error {
	now := Now(ctx, j.Clock)
	limit := j.Limit
	if limit <= 0 {
		limit = engine.DefaultMatchLimit
	}
	st := j.Service.Store
	sets, err := st.MatchSets(ctx)
	if err != nil {
		return fmt.Errorf("rematch: %w", err)
	}
	type seeker struct{ id, name, counsellor string }
	var seekers []seeker
	err = st.Each(ctx, engine.KindSeeker, 0, func(r engine.Record) error {
		s := r.(*engine.Seeker)
		if !s.Erased && (s.Status == "" || s.Status == "seeking" || s.Status == "training") {
			seekers = append(seekers, seeker{s.ID, s.Name, s.CounsellorID})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rematch: %w", err)
	}
	var failed errs
	day := now.In(engine.Shanghai).Format(time.DateOnly)
	for _, s := range seekers {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := j.Matcher.Matches(s.id, engine.KindPost, limit)
		if err != nil {
			failed.add(fmt.Errorf("seeker %s: %w", s.id, err))
			continue
		}
		Count(ctx, "seekers", 1)
		ids := engine.MatchIDs(res.Results)
		prev, had := sets[s.id]
		switch {
		case !had || !prev.Current(): // first seen, or ranked by an older score
			Count(ctx, "baselined", 1)
		case slices.Equal(prev.Posts, ids):
			continue
		default:
			if fresh := prev.NewMatches(res.Results); len(fresh) > 0 && s.counsellor != "" {
				it := &engine.InboxItem{ID: "new-matches:" + s.id + ":" + day, Kind: engine.InboxNewMatches,
					CounsellorID: s.counsellor, SeekerID: s.id, SeekerName: s.name, At: now, Matches: engine.InboxMatches(fresh),
					Text: engine.Note{Zh: fmt.Sprintf("新增 %d 个匹配岗位", len(fresh)), En: fmt.Sprintf("%d new matches", len(fresh))}}
				created, err := j.Service.AddInbox(ctx, it)
				if err != nil {
					failed.add(fmt.Errorf("seeker %s: %w", s.id, err))
					continue
				}
				if created {
					Count(ctx, "inbox", 1)
					Count(ctx, "newMatches", len(fresh))
				}
			}
		}
		if err := st.PutMatchSet(ctx, engine.NewMatchSet(s.id, res.Results, now)); err != nil {
			failed.add(fmt.Errorf("seeker %s: %w", s.id, err))
			continue
		}
		Count(ctx, "updated", 1)
	}
	return failed.err()
}
