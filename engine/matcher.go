package engine

import (
	"math"
	"strings"
	"sync"
)

// Matcher is the in-memory matching state: a compact form of the open posts,
// the classes and the seekers, fed by the change feed (Upsert), so matches,
// candidates and gaps never query the database. Its answers equal the
// brute-force ranking (BruteForce and friends) exactly; the geo grid and the
// score bound only skip work whose outcome is already certain.
// It is safe for concurrent use.
type Matcher struct {
	clock Clock
	prune bool // tests switch the grid and the bound off to compare

	mu    sync.RWMutex
	rev   int64
	codes *interner
	names map[string][2]string // skill code → zh, en

	posts     []postSlot // by slot
	postIDs   map[string]int32
	freePosts []int32
	closed    map[string]struct{} // posts not open: counted under rule 1
	boxes     [3]postBox          // by work mode

	classes  []classC
	classIDs map[string]int

	seekers     []seekerSlot // by slot
	seekerIDs   map[string]int32
	freeSeekers []int32
	pool        seekerBox // seeking or training: candidates, by home cell
	idle        seekerBox // placed or inactive: their own matches only

	scratch sync.Pool
}

var _ Follower = (*Matcher)(nil)

// postSlot is where a post's compact form lives, with its id and title.
type postSlot struct {
	id, title string
	box       uint8
	cell, pos int32
}

// postBox holds the open posts of one work mode by grid cell (remote posts in
// one cell); rules holds, in the same order, a copy of what the hard
// constraints read, so a scan streams through 40 bytes per post.
type postBox struct {
	cells  [][]postC
	rules  [][]postRules
	blockN []int32 // posts by grid block (grid boxes only)
	n      int
	closes map[int32]int // posts by closing day, to count the expired without visiting them
}

func newPostBox(cells int) postBox {
	b := postBox{cells: make([][]postC, cells), rules: make([][]postRules, cells), closes: map[int32]int{}}
	if cells > 1 {
		b.blockN = make([]int32, blockRows*blockCols)
	}
	return b
}

// count keeps the per-block and per-day tallies as a post enters (+1) or leaves (-1).
func (b *postBox) count(cell int32, closes int32, delta int) {
	b.n += delta
	if blk := blockOf(cell); b.blockN != nil && blk >= 0 {
		b.blockN[blk] += int32(delta)
	}
	if closes != noDate {
		if b.closes[closes] += delta; b.closes[closes] == 0 {
			delete(b.closes, closes)
		}
	}
}

// expired counts the box's posts whose closing date is before today.
func (b *postBox) expired(today int32) int {
	n := 0
	for day, k := range b.closes {
		if day < today {
			n += k
		}
	}
	return n
}

// seekerSlot is where a seeker's compact form lives.
type seekerSlot struct {
	id        string
	box       uint8 // 0 pool, 1 idle
	cell, pos int32
}

// seekerBox holds seekers by home cell, and alongside, in the same order, what
// callers filter candidates on (so a scan reads both sequentially); maxReach
// bounds the reach of the seekers in a cell (onsite, hybrid) so far-away cells
// are skipped whole.
type seekerBox struct {
	cells    [][]seekerQ
	infos    [][]SeekerInfo
	maxReach [][2]float64
	n        int
}

func newSeekerBox(cells int) seekerBox {
	return seekerBox{cells: make([][]seekerQ, cells), infos: make([][]SeekerInfo, cells), maxReach: make([][2]float64, cells)}
}

type scratch struct {
	levels []int8
	cells  []cellRef
	blocks []blockRef
}

// NewMatcher returns an empty matching state; clock decides "today".
func NewMatcher(clock Clock) *Matcher {
	if clock == nil {
		clock = SystemClock{}
	}
	m := &Matcher{
		clock: clock, prune: true,
		codes: newInterner(), names: map[string][2]string{},
		postIDs: map[string]int32{}, closed: map[string]struct{}{},
		classIDs:  map[string]int{},
		seekerIDs: map[string]int32{},
		pool:      newSeekerBox(gridCells + 1),
		idle:      newSeekerBox(1),
	}
	m.boxes[modeOnsite] = newPostBox(gridCells + 1)
	m.boxes[modeHybrid] = newPostBox(gridCells + 1)
	m.boxes[modeRemote] = newPostBox(1)
	return m
}

// Rev is the highest change-feed revision applied.
func (m *Matcher) Rev() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.rev
}

// MatcherStats sizes the matching state.
type MatcherStats struct {
	OpenPosts   int   `json:"openPosts"`
	ClosedPosts int   `json:"closedPosts"`
	Classes     int   `json:"classes"`
	Seekers     int   `json:"seekers"`
	Candidates  int   `json:"candidates"` // seekers seeking or in training
	SkillCodes  int   `json:"skillCodes"`
	Rev         int64 `json:"rev"`
}

// Stats reports how much the matching state holds.
func (m *Matcher) Stats() MatcherStats {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return MatcherStats{
		OpenPosts:   m.boxes[0].n + m.boxes[1].n + m.boxes[2].n,
		ClosedPosts: len(m.closed),
		Classes:     len(m.classes),
		Seekers:     m.pool.n + m.idle.n,
		Candidates:  m.pool.n,
		SkillCodes:  len(m.codes.names),
		Rev:         m.rev,
	}
}

// Upsert applies one record from the change feed: a post, class or seeker
// replaces its earlier version; a post that is not open and an erased seeker
// leave the searchable sets. A skill record names its code in explanations.
// Other records are ignored.
func (m *Matcher) Upsert(r Record) {
	if r == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if rev := r.RecordMeta().Rev; rev > m.rev {
		m.rev = rev
	}
	switch v := r.(type) {
	case *Post:
		m.upsertPost(v)
	case *Class:
		m.upsertClass(v)
	case *Seeker:
		m.upsertSeeker(v)
	case *Skill:
		m.names[strings.Clone(v.Code)] = [2]string{strings.Clone(v.Zh), strings.Clone(v.En)}
	}
}

func (m *Matcher) upsertPost(p *Post) {
	slot, had := m.postIDs[p.ID]
	if had {
		m.removePost(slot)
	}
	if p.Status != "open" {
		if had {
			delete(m.postIDs, p.ID)
			m.posts[slot] = postSlot{}
			m.freePosts = append(m.freePosts, slot)
		}
		if _, ok := m.closed[p.ID]; !ok {
			m.closed[strings.Clone(p.ID)] = struct{}{}
		}
		return
	}
	delete(m.closed, p.ID)
	if !had {
		slot = takeSlot(&m.freePosts, &m.posts)
		m.postIDs[strings.Clone(p.ID)] = slot
	}
	c := compilePost(p, m.codes.intern, slot)
	cell, mode := int32(0), c.mode()
	if mode != modeRemote {
		cell = cellOf(c.lat, c.lon)
	}
	b := &m.boxes[mode]
	b.cells[cell] = append(b.cells[cell], c)
	b.rules[cell] = append(b.rules[cell], c.postRules)
	b.count(cell, c.closes, +1)
	m.posts[slot] = postSlot{id: m.posts[slot].id, title: strings.Clone(p.Title), box: mode, cell: cell, pos: int32(len(b.cells[cell]) - 1)}
	if m.posts[slot].id == "" {
		m.posts[slot].id = strings.Clone(p.ID)
	}
}

// removePost takes a post's compact form out of its box; the slot stays.
func (m *Matcher) removePost(slot int32) {
	s := &m.posts[slot]
	b := &m.boxes[s.box]
	cell, rules := b.cells[s.cell], b.rules[s.cell]
	b.count(s.cell, cell[s.pos].closes, -1)
	last := len(cell) - 1
	if int(s.pos) != last {
		cell[s.pos], rules[s.pos] = cell[last], rules[last]
		m.posts[cell[s.pos].slot].pos = s.pos
	}
	cell[last], rules[last] = postC{}, postRules{}
	b.cells[s.cell], b.rules[s.cell] = cell[:last], rules[:last]
}

func (m *Matcher) upsertClass(c *Class) {
	k := compileClass(c, m.codes.intern)
	if i, ok := m.classIDs[c.ID]; ok {
		m.classes[i] = k
		return
	}
	m.classIDs[k.id] = len(m.classes)
	m.classes = append(m.classes, k)
}

// inPool says whether a seeker is looking for work and so a candidate for posts.
func inPool(s *Seeker) bool {
	return !s.Erased && (s.Status == "" || s.Status == "seeking" || s.Status == "training")
}

func (m *Matcher) upsertSeeker(s *Seeker) {
	slot, had := m.seekerIDs[s.ID]
	if had {
		m.removeSeeker(slot)
	}
	if s.Erased {
		if had {
			delete(m.seekerIDs, s.ID)
			m.seekers[slot] = seekerSlot{}
			m.freeSeekers = append(m.freeSeekers, slot)
		}
		return
	}
	if !had {
		slot = takeSlot(&m.freeSeekers, &m.seekers)
		m.seekerIDs[strings.Clone(s.ID)] = slot
	}
	q := compileSeeker(s, m.codes.intern)
	q.slot = slot
	box, b, cell := uint8(1), &m.idle, int32(0)
	if inPool(s) {
		box, b, cell = 0, &m.pool, cellOf(q.lat, q.lon)
	}
	id := m.seekers[slot].id
	if id == "" {
		id = strings.Clone(s.ID)
	}
	b.cells[cell] = append(b.cells[cell], q)
	b.infos[cell] = append(b.infos[cell], SeekerInfo{ID: id, Street: strings.Clone(s.Street),
		CounsellorID: strings.Clone(s.CounsellorID), Status: strings.Clone(s.Status), Consent: s.Consent.ShareWithEmployers})
	b.n++
	for i := range 2 {
		b.maxReach[cell][i] = math.Max(b.maxReach[cell][i], q.reach[i])
	}
	m.seekers[slot] = seekerSlot{id: id, box: box, cell: cell, pos: int32(len(b.cells[cell]) - 1)}
}

func (m *Matcher) seekerBox(box uint8) *seekerBox {
	if box == 0 {
		return &m.pool
	}
	return &m.idle
}

// removeSeeker takes a seeker's compact form out of its box; the slot stays.
// A cell's maxReach is left as it was: still a valid upper bound.
func (m *Matcher) removeSeeker(slot int32) {
	s := &m.seekers[slot]
	b := m.seekerBox(s.box)
	cell, infos := b.cells[s.cell], b.infos[s.cell]
	last := len(cell) - 1
	if int(s.pos) != last {
		cell[s.pos], infos[s.pos] = cell[last], infos[last]
		m.seekers[cell[s.pos].slot].pos = s.pos
	}
	cell[last], infos[last] = seekerQ{}, SeekerInfo{}
	b.cells[s.cell], b.infos[s.cell] = cell[:last], infos[:last]
	b.n--
}

func (m *Matcher) postAt(slot int32) *postC {
	s := &m.posts[slot]
	return &m.boxes[s.box].cells[s.cell][s.pos]
}

func (m *Matcher) seekerAt(slot int32) *seekerQ {
	s := &m.seekers[slot]
	return &m.seekerBox(s.box).cells[s.cell][s.pos]
}

// Seeker returns what the Matcher knows of a seeker's file for filtering.
func (m *Matcher) Seeker(id string) (SeekerInfo, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	slot, ok := m.seekerIDs[id]
	if !ok {
		return SeekerInfo{}, false
	}
	ss := &m.seekers[slot]
	return m.seekerBox(ss.box).infos[ss.cell][ss.pos], true
}

// getScratch lends per-query buffers; levels is all zero and as long as the skill codes.
func (m *Matcher) getScratch() *scratch {
	sc, _ := m.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if n := len(m.codes.names); len(sc.levels) < n {
		sc.levels = make([]int8, n+n/4+16)
	}
	return sc
}

func (m *Matcher) putScratch(sc *scratch) {
	sc.cells, sc.blocks = sc.cells[:0], sc.blocks[:0]
	m.scratch.Put(sc)
}

// skillName names an interned skill code from the catalog's Skill records.
func (m *Matcher) skillName(code uint32) (string, string, string) {
	c := m.codes.names[code]
	n := m.names[c]
	return c, n[0], n[1]
}

func (m *Matcher) today() int32 { return dayNumber(Today(m.clock)) }

func errNoSeeker(id string) error { return Errorf(ENOTFOUND, "seeker %s not found", id) }

// Matches ranks the open posts (typ KindPost) or classes (KindClass) for a
// stored seeker: the top limit (default 20) by score, then commute, then id,
// each with its factors explained, and the count of exclusions by rule.
func (m *Matcher) Matches(seekerID string, typ Kind, limit int) (*MatchResponse, error) {
	if typ != KindPost && typ != KindClass {
		return nil, Errorf(EINVALID, "type must be posts or classes")
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	q, err := m.storedSeeker(seekerID)
	if err != nil {
		return nil, err
	}
	return m.match(&q, seekerID, typ, limit), nil
}

// storedSeeker copies the compiled form of a stored seeker (the caller holds m.mu).
func (m *Matcher) storedSeeker(id string) (seekerQ, error) {
	slot, ok := m.seekerIDs[id]
	if !ok {
		return seekerQ{}, errNoSeeker(id)
	}
	return *m.seekerAt(slot), nil
}

// MatchSeeker is Matches for a seeker record passed in, stored or not (say, a
// file being edited, or one whose training just added skills).
func (m *Matcher) MatchSeeker(s *Seeker, typ Kind, limit int) (*MatchResponse, error) {
	if typ != KindPost && typ != KindClass {
		return nil, Errorf(EINVALID, "type must be posts or classes")
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	q := compileSeeker(s, m.codes.lookup)
	return m.match(&q, s.ID, typ, limit), nil
}

func (m *Matcher) match(q *seekerQ, seekerID string, typ Kind, limit int) *MatchResponse {
	limit = matchLimit(limit)
	sc := m.getScratch()
	defer m.putScratch(sc)
	q.setLevels(sc.levels)
	defer q.clearLevels(sc.levels)
	today := m.today()
	var excl exclusions
	res := &MatchResponse{SeekerID: seekerID, Type: typeName(typ)}
	if typ == KindClass {
		res.Results = q.rankClasses(m.classes, today, sc.levels, limit, &excl)
	} else {
		top := newTopK(limit)
		m.scanPosts(q, today, sc, top, nil, &excl)
		hits := top.sorted()
		res.Results = make([]MatchResult, len(hits))
		for i := range hits {
			h := &hits[i]
			res.Results[i] = q.postResult(m.postAt(h.ref), h.id, m.posts[h.ref].title, h, sc.levels, m.skillName, forSeeker)
		}
	}
	res.Excluded = newExcluded(&excl)
	return res
}

// scanPosts applies the rules to every open post for a seeker, offering those
// that pass to top, or with gaps set, offering those that fail only rule 7
// with at most two skills missing to gaps. Posts in grid cells beyond the
// seeker's reach are not visited: they are counted under rule 1 or 2 in bulk.
func (m *Matcher) scanPosts(q *seekerQ, today int32, sc *scratch, top *topK, gaps *gapSet, excl *exclusions) {
	excl[RuleOpen] += len(m.closed)
	rb := &m.boxes[modeRemote]
	if q.remoteOK {
		m.scanCell(q, rb.rules[0], rb.cells[0], cellRef{inside: true}, true, 0, today, sc.levels, top, gaps, excl)
	} else {
		exp := rb.expired(today)
		excl[RuleOpen] += exp
		excl[RuleCommute] += rb.n - exp
	}
	for _, mode := range [2]uint8{modeOnsite, modeHybrid} {
		b := &m.boxes[mode]
		if m.prune {
			sc.cells, sc.blocks = cellsWithin(b.cells, b.blockN, q.lat, q.lon, q.cosLat, q.reach[mode], sc.cells[:0], sc.blocks[:0])
		} else {
			sc.cells = allCells(b.cells, sc.cells[:0])
		}
		visited, visitedExpired := 0, 0
		for _, ref := range sc.cells {
			visited += len(b.rules[ref.cell])
			visitedExpired += m.scanCell(q, b.rules[ref.cell], b.cells[ref.cell], ref, false, q.limit[mode], today, sc.levels, top, gaps, excl)
		}
		exp := b.expired(today) - visitedExpired
		excl[RuleOpen] += exp
		excl[RuleCommute] += b.n - visited - exp
	}
}

// scanCell applies the rules to the posts of one cell (or the remote list)
// and returns how many had expired.
func (m *Matcher) scanCell(q *seekerQ, rules []postRules, posts []postC, ref cellRef, remote bool, limit float64, today int32,
	levels []int8, top *topK, gaps *gapSet, excl *exclusions) (expired int) {
	// No post in the cell is nearer than ref.lb: its commute takes at least tmin.
	tmin := 0.0
	if !remote {
		tmin, _ = travelMinutes(max(0, ref.lb-geoMargin(ref.lb)), q.modes)
	}
	for i := range rules {
		r := &rules[i]
		if r.closes < today {
			excl[RuleOpen]++
			expired++
			continue
		}
		minutes, tmode := -1.0, int8(-1)
		switch {
		case remote:
			minutes = 0
		case !ref.inside:
			p := &posts[i]
			if minutes, tmode = q.travelTo(p.lat, p.lon, p.cosLat); !(minutes <= limit) {
				excl[RuleCommute]++
				continue
			}
		}
		if rule := q.postAccess(r); rule != 0 {
			excl[rule]++
			continue
		}
		missing, ok := q.maskMissing(r)
		if !ok {
			missing = q.missingSkills(&posts[i], levels)
		}
		switch {
		case missing == 0 && gaps == nil:
			m.offer(q, r, &posts[i], levels, minutes, tmode, tmin, top)
		case missing > 0 && gaps != nil && missing <= MaxGapSkills:
			gaps.total++
			gaps.keys[missingKey(&posts[i], levels)]++
			m.offer(q, r, &posts[i], levels, minutes, tmode, tmin, gaps.top)
		}
		if missing > 0 {
			excl[RuleSkills]++
		}
	}
	return expired
}

// allCells lists every non-empty cell for a border-to-border check (pruning off).
func allCells[T any](cells [][]T, buf []cellRef) []cellRef {
	for c := range cells {
		if len(cells[c]) > 0 {
			buf = append(buf, cellRef{cell: int32(c)})
		}
	}
	return buf
}

// offer scores a post and offers it to top. minutes < 0 means the commute is
// not computed yet (the post's cell is wholly within reach); tmin is a lower
// bound on it. Before reading the post's skills or computing its commute,
// score bounds with the best possible skills, strengths and commute factors
// decide whether the post could still enter: factors are at most 1, the
// commute factor falls with the minutes, and rounding is monotone, so a post
// whose bound is below the k-th score, or equal to it with a longer commute,
// cannot. The strengths factor is known from the masks for most posts, else
// bounded by 1 until the skill list is read.
//
// r is p's rules part from the box's hot copy: p itself is read only once the
// first bound passes.
func (m *Matcher) offer(q *seekerQ, r *postRules, p *postC, levels []int8, minutes float64, tmode int8, tmin float64, top *topK) {
	remote := r.mode() == modeRemote
	limit := q.limitFor(r.mode())
	f := factors{
		strengths: 1,
		fit:       fitFactor(countOverByOne(q.capP, r.dem)),
		acc:       accFactor(q.wished, r.offered),
		pref:      prefFactor(r.wage, q.minWage),
	}
	used, known := q.maskStrengths(r)
	if known {
		f.strengths = strengthsFactor(used, int(q.strengths))
	}
	cmax := commuteFactor(remote, tmin, limit)
	if m.prune && top.hopeless(Score(1, f.strengths, f.fit, cmax, f.acc, f.pref), tmin) {
		return
	}
	f.skills = q.postSkillsFactor(p.skills, levels)
	if !known {
		f.strengths = strengthsFactor(q.usedStrengths(p, levels), int(q.strengths))
	}
	if minutes < 0 {
		if m.prune && top.hopeless(Score(f.skills, f.strengths, f.fit, cmax, f.acc, f.pref), tmin) {
			return
		}
		minutes, tmode = q.travelTo(p.lat, p.lon, p.cosLat)
	}
	f.commute = commuteFactor(remote, minutes, limit)
	s := f.score()
	if !top.admits(s) {
		return
	}
	top.offer(hit{f: f, score: s, minutes: minutes, mode: tmode, id: m.posts[p.slot].id, ref: p.slot})
}

// takeSlot reuses a freed slot of slots, or adds one at the end.
func takeSlot[T any](free *[]int32, slots *[]T) int32 {
	if n := len(*free); n > 0 {
		slot := (*free)[n-1]
		*free = (*free)[:n-1]
		return slot
	}
	var zero T
	*slots = append(*slots, zero)
	return int32(len(*slots) - 1)
}

// Holds says whether the matching state has the record kind/id (a post open
// or closed, a class, a seeker not erased), for `jobbridge check`.
func (m *Matcher) Holds(kind Kind, id string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	switch kind {
	case KindPost:
		_, open := m.postIDs[id]
		_, closed := m.closed[id]
		return open || closed
	case KindClass:
		_, ok := m.classIDs[id]
		return ok
	case KindSeeker:
		_, ok := m.seekerIDs[id]
		return ok
	}
	return false
}
