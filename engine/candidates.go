package engine

// Candidates ranks the seekers for whom a post passes every hard constraint,
// by the same score and order as matches. Only seekers who are seeking or in
// training are considered, and of those only the ones keep accepts (nil keeps
// all): exclusions are counted among those. keep runs under the Matcher's read
// lock and must not call back into it.
func (m *Matcher) Candidates(postID string, limit int, keep func(*SeekerInfo) bool) (*CandidatesResponse, error) {
	limit = matchLimit(limit)
	m.mu.RLock()
	defer m.mu.RUnlock()
	res := &CandidatesResponse{PostID: postID, Results: []MatchResult{}}
	var excl exclusions
	slot, ok := m.postIDs[postID]
	today := m.today()
	if !ok || m.postAt(slot).closes < today {
		if _, closed := m.closed[postID]; !ok && !closed {
			return nil, Errorf(ENOTFOUND, "post %s not found", postID)
		}
		for _, infos := range m.pool.infos {
			for i := range infos {
				if keep == nil || keep(&infos[i]) {
					excl[RuleOpen]++
				}
			}
		}
		res.Excluded = newExcluded(&excl)
		return res, nil
	}
	p := m.postAt(slot)
	sc := m.getScratch()
	defer m.putScratch(sc)
	levels := sc.levels
	top := newTopK(limit)
	remote := p.mode() == modeRemote
	limitIdx := 0
	if p.mode() == modeHybrid {
		limitIdx = 1
	}
	for ci, cell := range m.pool.cells {
		if len(cell) == 0 {
			continue
		}
		geo := m.prune && !remote && ci != overflowCell
		var d, rad float64
		if geo {
			d, rad = cellBounds(int32(ci), p.lat, p.lon, p.cosLat)
			if mr := m.pool.maxReach[ci][limitIdx]; keep == nil && d-rad > mr+geoMargin(mr) {
				excl[RuleCommute] += len(cell)
				continue
			}
		}
		infos := m.pool.infos[ci]
		for i := range cell {
			q := &cell[i]
			if keep != nil && !keep(&infos[i]) {
				continue
			}
			minutes, tmode := -1.0, int8(-1)
			if remote {
				if !q.remoteOK {
					excl[RuleCommute]++
					continue
				}
				minutes = 0
			} else {
				reach := q.reach[limitIdx]
				mg := geoMargin(reach)
				switch {
				case geo && d-rad > reach+mg:
					excl[RuleCommute]++
					continue
				case geo && d+rad <= reach-mg:
					// within reach: the commute waits for the score bound
				default:
					minutes, tmode = q.travelTo(p.lat, p.lon, p.cosLat)
					if !(minutes <= q.limit[limitIdx]) {
						excl[RuleCommute]++
						continue
					}
				}
			}
			if rule := q.postAccess(&p.postRules); rule != 0 {
				excl[rule]++
				continue
			}
			if !q.hasExact { // masks are not enough: a dense table of levels
				q.setLevels(levels)
			}
			missing := q.missingSkills(p, levels)
			var f factors
			if missing == 0 {
				f = q.postFactors(p, levels)
			}
			if !q.hasExact {
				q.clearLevels(levels)
			}
			if missing > 0 {
				excl[RuleSkills]++
				continue
			}
			if minutes < 0 {
				if m.prune && !top.admits(f.scoreBound()) {
					continue
				}
				minutes, tmode = q.travelTo(p.lat, p.lon, p.cosLat)
			}
			f.commute = commuteFactor(remote, minutes, q.limit[limitIdx])
			if s := f.score(); top.admits(s) {
				top.offer(hit{f: f, score: s, minutes: minutes, mode: tmode, id: infos[i].ID, ref: q.slot})
			}
		}
	}
	hits := top.sorted()
	res.Results = make([]MatchResult, len(hits))
	for i := range hits {
		h := &hits[i]
		q := m.seekerAt(h.ref)
		q.setLevels(levels)
		res.Results[i] = q.postResult(p, h.id, "", h, levels, m.skillName, forCandidate)
		q.clearLevels(levels)
	}
	res.Excluded = newExcluded(&excl)
	return res, nil
}
