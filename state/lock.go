package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/google/uuid"
)

// LockInfo describes who holds the state lock and why.
type LockInfo struct {
	ID        string    `json:"id"`
	Who       string    `json:"who"` // the user name
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Operation string    `json:"operation"` // e.g. "apply", "state rm"
	Created   time.Time `json:"created"`
}

// fill completes a caller's LockInfo: a fresh ID and this process's user,
// host, pid and the time, where the caller left them empty.
func (i LockInfo) fill(now time.Time) LockInfo {
	i.ID = uuid.NewString()
	if i.Who == "" {
		i.Who = currentUser()
	}
	if i.Host == "" {
		i.Host, _ = os.Hostname()
	}
	if i.PID == 0 {
		i.PID = os.Getpid()
	}
	if i.Created.IsZero() {
		i.Created = now
	}
	i.Created = i.Created.UTC().Round(time.Microsecond)
	return i
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	return "unknown"
}

// LockHeldError is returned when the state lock is held by someone else.
type LockHeldError struct {
	Info LockInfo // Info.ID is empty when the holder's details could not be read
	// Seen is when the lock was found held; Seen - Info.Created is its age.
	Seen time.Time
	// Note is an optional hint, e.g. that the holding process is gone.
	Note string
}

// Error names the holder, the operation, since when and the lock ID.
func (e *LockHeldError) Error() string {
	if e.Info.ID == "" {
		msg := "the state is locked by another process whose lock details could not be read"
		if e.Note != "" {
			msg += ": " + e.Note
		}
		return msg
	}
	age := e.Seen.Sub(e.Info.Created).Round(time.Second)
	msg := fmt.Sprintf("the state is locked by %s@%s (pid %d) for %q since %s (%s ago); lock ID %s",
		e.Info.Who, e.Info.Host, e.Info.PID, e.Info.Operation,
		e.Info.Created.Format(time.RFC3339), age, e.Info.ID)
	if e.Note != "" {
		msg += "; " + e.Note
	}
	return msg
}

// LockIDError is returned by ForceUnlock when the ID does not name the
// current lock.
type LockIDError struct {
	Given  string
	Holder LockInfo
}

// Error names the current lock and its holder.
func (e *LockIDError) Error() string {
	return fmt.Sprintf("lock ID %q does not match the current lock %s (held by %s@%s for %q); nothing was unlocked",
		e.Given, e.Holder.ID, e.Holder.Who, e.Holder.Host, e.Holder.Operation)
}

// ErrNotLockHolder is returned by Unlock for a lock this Backend did not take.
var ErrNotLockHolder = errors.New("this process does not hold that state lock; use force-unlock to release another process's lock")

// LockWaitFunc is told each time Lock finds the lock held and is about to
// wait before trying again, so a caller can say what it is waiting for.
type LockWaitFunc func(held *LockHeldError, retryIn time.Duration)

// lockRetry calls try until it takes the lock, fails with something other
// than a *LockHeldError, or ctx's deadline leaves no time for another try.
// Without a deadline it tries once. The wait doubles from 50ms up to 2s and
// always leaves time for a last try before the deadline.
func lockRetry(ctx context.Context, wait LockWaitFunc, try func() (string, error)) (string, error) {
	delay := 50 * time.Millisecond
	var last *LockHeldError
	for {
		id, err := try()
		var held *LockHeldError
		if err != nil && last != nil && deadlinePassed(ctx) {
			// The deadline cut this try short: report what we waited for.
			return "", last
		}
		if err == nil || !errors.As(err, &held) {
			return id, err
		}
		last = held
		deadline, ok := ctx.Deadline()
		left := time.Until(deadline)
		if !ok || left < 10*time.Millisecond {
			return "", err
		}
		d := min(delay, left*3/4)
		if wait != nil {
			wait(held, d)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", err
		case <-t.C:
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// deadlinePassed reports whether ctx is done or past its deadline (a network
// timeout can fire a moment before ctx notices).
func deadlinePassed(ctx context.Context) bool {
	deadline, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(deadline)
}
