package api

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"jobbridge/engine"
)

// LoginLimits bound password guessing. The zero value takes the defaults.
//
// Every attempt on an account counts as a failure until it succeeds (so
// parallel guesses count too). After AccountFree failures in a row the
// account is locked for 1 s after the next, then 2 s, 4 s, … at most
// AccountMaxLock; attempts while it is locked are refused (429) without
// checking the password or counting. A success ends it, and failures older
// than an hour are forgotten. The lock does not hold an address the account
// logged in from before (the last few are remembered), so a guesser
// elsewhere cannot keep its owner out for long. Each address is held to its
// own limit whatever the account: AddressBurst failures at once, then one
// per AddressEvery. Password hashing (bcrypt) runs at most Hashers at once,
// so guesses cannot take every core from the other requests.
type LoginLimits struct {
	AccountFree    int           // failures before the back-off starts (default 5)
	AccountMaxLock time.Duration // the longest lock (default 5 min)
	AddressBurst   int           // failures an address may make at once (default 20)
	AddressEvery   time.Duration // one more failure per this, after the burst (default 6 s)
	Hashers        int           // bcrypt comparisons at once (default half the cores, at least 1)
	HashWait       time.Duration // how long a login waits for a hasher before 503 (default 5 s)
	Off            bool          // no limits and no bound on hashing: only to measure what they save (cmd/loadgen)
}

func (l LoginLimits) withDefaults() LoginLimits {
	if l.AccountFree <= 0 {
		l.AccountFree = 5
	}
	if l.AccountMaxLock <= 0 {
		l.AccountMaxLock = 5 * time.Minute
	}
	if l.AddressBurst <= 0 {
		l.AddressBurst = 20
	}
	if l.AddressEvery <= 0 {
		l.AddressEvery = 6 * time.Second
	}
	if l.Hashers <= 0 {
		l.Hashers = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if l.HashWait <= 0 {
		l.HashWait = 5 * time.Second
	}
	return l
}

const (
	knownAddresses  = 4         // addresses of successful logins an account remembers
	forgetFailures  = time.Hour // failures older than this no longer count
	throttleEntries = 10_000    // above this many accounts or addresses, idle ones are dropped
)

// loginThrottle keeps the failures of accounts and addresses, in memory: a
// restart forgets them, and each replica counts its own.
type loginThrottle struct {
	limits  LoginLimits
	hashers chan struct{}

	mu        sync.Mutex
	accounts  map[string]*accountState
	addresses map[string]*addressState
}

// addressState is an address's bucket of failures and its attempts in flight,
// which hold a token each until they end (so parallel guesses count too).
type addressState struct {
	lim     *rate.Limiter
	pending int
}

type accountState struct {
	failures int
	until    time.Time // locked until then
	last     time.Time // the last attempt that counted, or success
	known    []string  // addresses of the last successful logins
}

func newLoginThrottle(l LoginLimits) *loginThrottle {
	l = l.withDefaults()
	return &loginThrottle{limits: l, hashers: make(chan struct{}, l.Hashers),
		accounts: map[string]*accountState{}, addresses: map[string]*addressState{}}
}

// attempt is one login let through: its outcome settles what it counted.
type attempt struct {
	t       *loginThrottle
	account string
	addr    string
}

// outcome is how an attempt ended.
type outcome int

const (
	abandoned outcome = iota // no answer on the password (the store failed, no hasher was free)
	failed                   // the password (or the account) was wrong
	succeeded
)

// admit lets a login of account from addr through, counting it as a failure
// until it succeeds, or says how long it must wait.
func (t *loginThrottle) admit(account, addr string, now time.Time) (*attempt, time.Duration) {
	a := &attempt{t: t, account: account, addr: addr}
	if t.limits.Off {
		return a, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.prune(now)

	as := t.addresses[addr]
	if as == nil {
		as = &addressState{lim: rate.NewLimiter(rate.Every(t.limits.AddressEvery), t.limits.AddressBurst)}
		t.addresses[addr] = as
	}
	st := t.accounts[account]
	if st == nil {
		st = &accountState{}
		t.accounts[account] = st
	}
	if now.Sub(st.last) > forgetFailures {
		st.failures = 0
	}
	known := slices.Contains(st.known, addr)
	if !known && now.Before(st.until) {
		return nil, st.until.Sub(now)
	}
	if free := as.lim.TokensAt(now) - float64(as.pending); free < 1 {
		return nil, time.Duration((1 - free) * float64(t.limits.AddressEvery))
	}
	as.pending++
	st.failures++
	st.last = now
	if n := st.failures - t.limits.AccountFree; n > 0 && !known {
		st.until = now.Add(backoff(n, t.limits.AccountMaxLock))
	}
	return a, 0
}

// backoff is the lock after the n-th failure past the free ones: 1 s, 2 s, 4 s, … at most most.
func backoff(n int, most time.Duration) time.Duration {
	if n > 30 {
		return most
	}
	return min(time.Second<<(n-1), most)
}

// settle ends an attempt: a failed one spends its address's token and stays
// counted on the account; a success ends the account's failures and
// remembers the address as one the account logs in from; an abandoned one
// counts nowhere.
func (a *attempt) settle(now time.Time, o outcome) {
	t := a.t
	if t.limits.Off {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if as := t.addresses[a.addr]; as != nil {
		as.pending--
		if o == failed {
			as.lim.AllowN(now, 1)
		}
	}
	st := t.accounts[a.account]
	if st == nil {
		return // pruned meanwhile
	}
	switch o {
	case abandoned:
		st.failures = max(0, st.failures-1)
	case succeeded:
		st.failures, st.until, st.last = 0, time.Time{}, now
		if !slices.Contains(st.known, a.addr) {
			st.known = append(st.known, a.addr)
			if len(st.known) > knownAddresses {
				st.known = st.known[1:]
			}
		}
	}
}

// prune drops, once the maps are large, what no longer limits anyone:
// accounts idle for an hour with no lock, and addresses whose bucket is full.
func (t *loginThrottle) prune(now time.Time) {
	if len(t.accounts) > throttleEntries {
		for k, st := range t.accounts {
			if now.Sub(st.last) > forgetFailures && !now.Before(st.until) {
				delete(t.accounts, k)
			}
		}
	}
	if len(t.addresses) > throttleEntries {
		for k, as := range t.addresses {
			if as.pending == 0 && as.lim.TokensAt(now) >= float64(as.lim.Burst()) {
				delete(t.addresses, k)
			}
		}
	}
}

// hash runs one password comparison when a hasher is free; a login that
// waits HashWait for one is refused with 503 rather than queue without end.
func (t *loginThrottle) hash(ctx context.Context, compare func()) error {
	if t.limits.Off {
		compare()
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, t.limits.HashWait)
	defer cancel()
	select {
	case t.hashers <- struct{}{}:
	case <-ctx.Done():
		return &retryError{err: engine.Errorf(eBusy, "the service is busy checking passwords; try again in a second"), after: time.Second}
	}
	defer func() { <-t.hashers }()
	compare()
	return nil
}

// retryError is an error whose answer tells the client when to try again (Retry-After).
type retryError struct {
	err   *engine.Error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// retryAfter is the whole seconds of Retry-After: at least 1.
func (e *retryError) retryAfter() int { return max(1, int((e.after+time.Second-1)/time.Second)) }

// tooMany is the answer to a login the limits refuse.
func tooMany(wait time.Duration) error {
	e := &retryError{after: wait}
	e.err = engine.Errorf(eTooMany, "too many failed logins; try again in %d s", e.retryAfter())
	return e
}
