package api

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// try admits a login at now and settles it: ok reports success.
func try(th *loginThrottle, account, addr string, now time.Time, ok bool) time.Duration {
	a, wait := th.admit(account, addr, now)
	if wait == 0 {
		o := failed
		if ok {
			o = succeeded
		}
		a.settle(now, o)
	}
	return wait
}

func TestAccountBackoff(t *testing.T) {
	t.Parallel()
	th := newLoginThrottle(LoginLimits{AccountFree: 5, AccountMaxLock: 8 * time.Second, AddressBurst: 1000})
	now := t0
	for i := range 5 {
		if w := try(th, "wang", "10.0.0.9", now, false); w != 0 {
			t.Fatalf("free failure %d waited %v", i+1, w)
		}
	}
	// Each further failure locks for 1 s, 2 s, 4 s, then 8 s at most.
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
		if w := try(th, "wang", "10.0.0.9", now, false); w != 0 {
			t.Fatalf("failure %d waited %v before the lock", 6+i, w)
		}
		if w := try(th, "wang", "10.0.0.9", now.Add(want-time.Millisecond), true); w != time.Millisecond {
			t.Fatalf("after failure %d: wait %v, want 1ms left of %v", 6+i, w, want)
		}
		now = now.Add(want)
	}
	// Refused attempts did not count, and even the right password waited; now it goes through and ends the lock.
	if w := try(th, "wang", "10.0.0.9", now, true); w != 0 {
		t.Fatalf("after the lock: %v", w)
	}
	for i := range 5 {
		if w := try(th, "wang", "10.0.0.9", now, false); w != 0 {
			t.Fatalf("after a success, free failure %d waited %v", i+1, w)
		}
	}
	// Other accounts are not touched, and an hour later the failures are forgotten.
	if w := try(th, "li", "10.0.0.9", now, false); w != 0 {
		t.Errorf("another account waited %v", w)
	}
	for i := range 5 {
		if w := try(th, "wang", "10.0.0.9", now.Add(2*time.Hour), false); w != 0 {
			t.Fatalf("an hour on, free failure %d waited %v", i+1, w)
		}
	}
}

// TestOwnerNotLockedOut: a guesser elsewhere locks the account, but not for
// the address its owner logged in from before.
func TestOwnerNotLockedOut(t *testing.T) {
	t.Parallel()
	th := newLoginThrottle(LoginLimits{AccountFree: 3, AccountMaxLock: 5 * time.Minute})
	const owner, guesser = "10.1.1.1", "203.0.113.7"
	if w := try(th, "zhao", owner, t0, true); w != 0 {
		t.Fatal(w)
	}
	now := t0.Add(time.Minute)
	for range 20 { // the guesser tries again as soon as it may
		if w := try(th, "zhao", guesser, now, false); w > 0 {
			now = now.Add(w)
		}
	}
	if w := try(th, "zhao", guesser, now, false); w < time.Minute {
		t.Fatalf("the guesser waits %v", w)
	}
	if w := try(th, "zhao", owner, now, true); w != 0 {
		t.Fatalf("the owner's known address waits %v", w)
	}
	if w := try(th, "zhao", "10.9.9.9", now.Add(time.Second), false); w != 0 {
		t.Fatalf("after the owner's success, a new address waits %v", w)
	}
}

func TestAddressLimit(t *testing.T) {
	t.Parallel()
	th := newLoginThrottle(LoginLimits{AccountFree: 1000, AddressBurst: 3, AddressEvery: 6 * time.Second})
	const addr = "198.51.100.4"
	// A success costs nothing: it gives its token back.
	for range 10 {
		if w := try(th, "sun", addr, t0, true); w != 0 {
			t.Fatalf("successes waited %v", w)
		}
	}
	// Failures on any account spend the address's burst, then one per 6 s.
	for i, acct := range []string{"a", "b", "c"} {
		if w := try(th, acct, addr, t0, false); w != 0 {
			t.Fatalf("failure %d waited %v", i+1, w)
		}
	}
	if w := try(th, "d", addr, t0, false); w != 6*time.Second {
		t.Fatalf("the 4th failure waits %v, want 6s", w)
	}
	if w := try(th, "d", addr, t0.Add(6*time.Second), false); w != 0 {
		t.Fatalf("6 s on: %v", w)
	}
	if w := try(th, "d", "198.51.100.5", t0, false); w != 0 {
		t.Errorf("another address waited %v", w)
	}
}

// TestParallelGuessesCount: attempts in flight count before their outcome,
// so many at once cannot pass the free failures.
func TestParallelGuessesCount(t *testing.T) {
	t.Parallel()
	th := newLoginThrottle(LoginLimits{AccountFree: 5})
	admitted := 0
	for range 16 {
		if _, w := th.admit("qian", "10.0.0.1", t0); w == 0 {
			admitted++
		}
	}
	if admitted != 6 {
		t.Errorf("%d of 16 parallel attempts admitted, want 6 (5 free and the one that sets the lock)", admitted)
	}
}

func TestHashersBounded(t *testing.T) {
	t.Parallel()
	th := newLoginThrottle(LoginLimits{Hashers: 2, HashWait: 50 * time.Millisecond})
	var running, most atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th.hash(context.Background(), func() {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				<-release
				running.Add(-1)
			})
		}()
	}
	for running.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	// Both hashers are busy: a third login waits HashWait and is refused with 503.
	err := th.hash(context.Background(), func() { t.Error("a third hash ran") })
	var r *retryError
	if !errors.As(err, &r) || r.err.Code != eBusy || r.retryAfter() != 1 {
		t.Errorf("third hash: %v", err)
	}
	close(release)
	wg.Wait()
	if most.Load() != 2 {
		t.Errorf("%d hashes ran at once, want 2", most.Load())
	}
	if err := th.hash(context.Background(), func() {}); err != nil {
		t.Errorf("a free hasher: %v", err)
	}
}

// TestSuccessesCostNothing: many logins at once from one address, all
// right, leave its failures untouched; abandoned ones count nowhere.
func TestSuccessesCostNothing(t *testing.T) {
	t.Parallel()
	th := newLoginThrottle(LoginLimits{AddressBurst: 3, AccountFree: 2})
	var open []*attempt
	for i := range 50 {
		a, w := th.admit("user", "10.0.0.1", t0)
		if w != 0 && i < 3 {
			t.Fatalf("attempt %d in flight waited %v", i, w)
		}
		if a != nil {
			open = append(open, a)
		}
	}
	if len(open) != 3 {
		t.Fatalf("%d attempts in flight at once, want the burst of 3", len(open))
	}
	for _, a := range open {
		a.settle(t0, succeeded)
	}
	for i := range 20 {
		a, w := th.admit("user", "10.0.0.1", t0)
		if w != 0 {
			t.Fatalf("after successes, attempt %d waited %v", i, w)
		}
		a.settle(t0, abandoned)
	}
}
