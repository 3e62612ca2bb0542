package state

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Backend stores one state, its lock and its apply journal.
//
// Writes (Put, AppendJournal) are refused with a *LockHeldError while another
// process holds the lock, and with ErrLockLost when this Backend took the
// lock and has since lost it (e.g. to ForceUnlock). A Backend is safe for
// use by several goroutines.
type Backend interface {
	// Get returns the stored state, or ErrNoState when none was ever stored.
	Get(ctx context.Context) (*State, error)
	// Put stores s if s.Serial is the stored serial (0 when none is stored)
	// and s.Lineage the stored lineage, then sets s.Serial to the new serial
	// (one more). Otherwise it stores nothing and returns a *ConflictError,
	// so a lost update is impossible.
	Put(ctx context.Context, s *State) error
	// Lock takes the state lock for the operation described by info and
	// returns the lock ID. When the lock is held it returns a *LockHeldError
	// at once if ctx has no deadline, and otherwise retries with backoff until
	// the deadline.
	Lock(ctx context.Context, info LockInfo) (string, error)
	// Unlock releases a lock this Backend took.
	Unlock(ctx context.Context, id string) error
	// ForceUnlock releases the lock with the given ID whoever holds it; a
	// wrong ID is refused with a *LockIDError.
	ForceUnlock(ctx context.Context, id string) error
	// LockHolder describes the current lock, or returns nil when unlocked.
	LockHolder(ctx context.Context) (*LockInfo, error)
	// CheckLock confirms that this Backend still holds the lock it took, if
	// it took one (local: its OS-locked lock file is still the lock file and
	// names its lock; pg: its session still holds the advisory lock), and
	// returns ErrLockLost when not, so that a caller stops before its next
	// remote step.
	CheckLock(ctx context.Context) error
	// AppendJournal adds entries to the end of the apply journal.
	AppendJournal(ctx context.Context, entries ...JournalEntry) error
	// Journal returns the whole apply journal, oldest first.
	Journal(ctx context.Context) ([]JournalEntry, error)
	// String names the backend and where it keeps the state, without secrets.
	String() string
	// Close releases the lock this Backend holds, if any, and its connections.
	Close() error
}

// JournalEntry records one finished action of an apply.
type JournalEntry struct {
	Time    time.Time `json:"time"`
	Address string    `json:"address"` // the action's object address
	Action  string    `json:"action"`  // the action kind: create, start, initial_sync, ...
	Result  Result    `json:"result"`
	Message string    `json:"message,omitempty"`
	Serial  uint64    `json:"serial"` // the state serial that records the result
}

// normalized returns e with its time in UTC at microsecond precision, the
// precision every backend keeps.
func (e JournalEntry) normalized() JournalEntry {
	e.Time = e.Time.UTC().Round(time.Microsecond)
	return e
}

// Result is how an action ended.
type Result string

// The results a journal entry can record.
const (
	ResultOK       Result = "ok"
	ResultFailed   Result = "failed"
	ResultCanceled Result = "canceled"
)

// ErrNoState is returned by Get when no state was ever stored.
var ErrNoState = errors.New("no state stored yet")

// ErrLockLost is returned by writes of a Backend whose lock was released
// behind its back, typically by a force-unlock from another process.
var ErrLockLost = errors.New("the state lock this process held was released by someone else (force-unlock?); stopping to avoid conflicting writes")

// ErrNotLocked is returned by Unlock and ForceUnlock when nobody holds the lock.
var ErrNotLocked = errors.New("the state is not locked")

// ErrSerialConflict and ErrLineageMismatch classify a *ConflictError with
// errors.Is.
var (
	ErrSerialConflict  = errors.New("serial conflict")
	ErrLineageMismatch = errors.New("lineage mismatch")
)

// ConflictError is returned by Put when the stored state is not the one the
// caller's state was based on.
type ConflictError struct {
	StoredLineage string
	StoredSerial  uint64
	GivenLineage  string
	GivenSerial   uint64
}

// Error says which of lineage and serial differ and what to do.
func (e *ConflictError) Error() string {
	if e.StoredLineage != e.GivenLineage {
		return fmt.Sprintf("state lineage mismatch: the stored state has lineage %s, this one %s; it belongs to another configuration or was replaced",
			e.StoredLineage, e.GivenLineage)
	}
	return fmt.Sprintf("state serial conflict: the stored state is at serial %d but this one was based on serial %d; someone else wrote the state meanwhile, run the command again",
		e.StoredSerial, e.GivenSerial)
}

// Is makes errors.Is(err, ErrSerialConflict) and ErrLineageMismatch work.
func (e *ConflictError) Is(target error) bool {
	if e.StoredLineage != e.GivenLineage {
		return target == ErrLineageMismatch
	}
	return target == ErrSerialConflict
}

// checkBase is the compare step of Put's compare-and-swap: stored is nil
// when no state is stored.
func checkBase(stored *ConflictError, s *State) error {
	if stored == nil {
		if s.Serial == 0 {
			return nil
		}
		stored = &ConflictError{StoredLineage: s.Lineage}
	}
	stored.GivenLineage, stored.GivenSerial = s.Lineage, s.Serial
	if stored.StoredLineage != s.Lineage || stored.StoredSerial != s.Serial {
		return stored
	}
	return nil
}

// GetOrNew returns the stored state, or a new one when none is stored.
func GetOrNew(ctx context.Context, b Backend) (*State, error) {
	s, err := b.Get(ctx)
	if errors.Is(err, ErrNoState) {
		return New(), nil
	}
	return s, err
}
