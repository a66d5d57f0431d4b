package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockFile, in the data dir, is held (flock, exclusive) by the one process
// using the data dir: serve for as long as it runs, every other command for
// as long as it has the embedded database or the index open. A second process
// learns at once who holds it instead of waiting on the database's or the
// index's own file locks. The file is never removed (removing a locked file
// lets a third process lock a new one beside it); the lock goes with the
// process, whatever way it ends, kill -9 included.
const lockFile = "jobbridge.lock"

// dataLock is a held lock on a data dir.
type dataLock struct {
	f      *os.File
	holder lockHolder
}

// lockHolder is what the holder writes into the lock file, for the message a
// second process shows.
type lockHolder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
	Control string    `json:"control,omitempty"` // a server's control socket, once it listens
}

// busyError says that another process holds the data dir.
type busyError struct {
	Dir    string
	Holder lockHolder
}

func (e *busyError) Error() string {
	h := e.Holder
	if h.PID == 0 {
		return fmt.Sprintf("another jobbridge process holds the data dir %s", e.Dir)
	}
	return fmt.Sprintf("jobbridge %s (pid %d, since %s) holds the data dir %s",
		h.Command, h.PID, h.Since.Local().Format("2006-01-02 15:04:05"), e.Dir)
}

// serving says whether the holder is a running server.
func (e *busyError) serving() bool { return e.Holder.Command == "serve" }

// lockDataDir takes the data dir's lock for command without waiting; a
// *busyError when another process holds it.
func lockDataDir(dir, command string) (*dataLock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			busy := &busyError{Dir: dir}
			if b, err := os.ReadFile(path); err == nil {
				_ = json.Unmarshal(b, &busy.Holder)
			}
			return nil, busy
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	l := &dataLock{f: f, holder: lockHolder{PID: os.Getpid(), Command: command, Since: time.Now()}}
	if err := l.write(); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

// write puts the holder's line into the lock file.
func (l *dataLock) write() error {
	b, _ := json.Marshal(l.holder)
	err := l.f.Truncate(0)
	if err == nil {
		_, err = l.f.WriteAt(append(b, '\n'), 0)
	}
	if err != nil {
		return fmt.Errorf("lock file: %w", err)
	}
	return nil
}

// serving notes the server's control socket in the lock file.
func (l *dataLock) serving(control string) error {
	l.holder.Control = control
	return l.write()
}

// release lets the next process in. The file keeps the last holder's line.
func (l *dataLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// refuseBusy turns a busy data dir into what the operator should do.
func refuseBusy(cmd string, err error) error {
	var busy *busyError
	if !errors.As(err, &busy) {
		return err
	}
	switch {
	case cmd == "serve":
		return fmt.Errorf("%w: one server per data dir; stop it, or give this one another --data-dir", busy)
	case busy.serving():
		return fmt.Errorf("%w: %s needs the data dir to itself while a server runs there; stop the server first", busy, cmd)
	}
	return fmt.Errorf("%w: wait for it to finish, then run %s again", busy, cmd)
}
