package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Local is the local backend: the state is a JSON file, the lock a file
// beside it (PATH.lock) and the journal a JSON-lines file (PATH.journal),
// all mode 0600. The state is replaced atomically on every Put.
type Local struct {
	path string
	opts options

	mu     sync.Mutex
	heldID string // the lock this Local took, or ""
	// lockFile is the lock file this Local holds open (and OS-locked, on
	// Unix) while it holds the lock.
	lockFile *os.File

	// beforeRename is a test hook run between the temp file write and the
	// rename of a Put (see writeFileAtomic).
	beforeRename func(tmp string) error
}

// NewLocal returns the local backend keeping its state at path. Nothing is
// created until the first write.
func NewLocal(path string, opts ...Option) *Local {
	return &Local{path: path, opts: collect(opts)}
}

// String names the state file.
func (l *Local) String() string { return "local state file " + l.path }

func (l *Local) lockPath() string    { return l.path + ".lock" }
func (l *Local) journalPath() string { return l.path + ".journal" }

// Get reads and decodes the state file.
func (l *Local) Get(ctx context.Context) (*State, error) {
	data, err := os.ReadFile(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoState
	}
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	s, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.path, err)
	}
	return s, nil
}

// Put replaces the state file if the stored serial and lineage are the ones
// s is based on. The compare and the write happen under the state lock: the
// one this Local holds, or one taken for the duration of the write.
func (l *Local) Put(ctx context.Context, s *State) error {
	if err := l.opts.guard.CheckState(s); err != nil {
		return err
	}
	next := s.Clone()
	next.Serial++
	data, err := Encode(next)
	if err != nil {
		return err
	}
	err = l.underLock(ctx, "write state", func() error {
		base, err := l.storedBase()
		if err != nil {
			return err
		}
		if err := checkBase(base, s); err != nil {
			return err
		}
		l.removeLeftovers()
		return writeFileAtomic(l.path, data, l.beforeRename)
	})
	if err != nil {
		return err
	}
	s.Serial = next.Serial
	return nil
}

// storedBase returns the stored lineage and serial as a ConflictError
// skeleton, or nil when no state is stored. Only the head of the document is
// decoded, but a document that is not valid JSON is still refused.
func (l *Local) storedBase() (*ConflictError, error) {
	data, err := os.ReadFile(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	if _, err := documentVersion(data); err != nil {
		return nil, fmt.Errorf("%s: %w", l.path, err)
	}
	var head struct {
		Lineage string `json:"lineage"`
		Serial  uint64 `json:"serial"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", l.path, err)
	}
	return &ConflictError{StoredLineage: head.Lineage, StoredSerial: head.Serial}, nil
}

// underLock runs write while the state lock is held by this Local: the lock
// it already holds (checking it still does) or a lock taken just for write.
func (l *Local) underLock(ctx context.Context, operation string, write func() error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.heldID != "" {
		if err := l.checkHeld(); err != nil {
			return err
		}
		return write()
	}
	info, err := l.createLock(LockInfo{Operation: operation})
	if err != nil {
		return err
	}
	defer func() {
		if err := l.removeLock(info.ID); err != nil {
			l.opts.logger.Warn("could not release the write lock", "error", err)
		}
	}()
	return write()
}

// removeLeftovers deletes temp files a crashed Put left behind. Every Put
// writes under the lock, so while it is held no other temp file is live.
func (l *Local) removeLeftovers() {
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(l.path), "."+filepath.Base(l.path)+".tmp-*"))
	for _, f := range leftovers {
		if err := os.Remove(f); err == nil {
			l.opts.logger.Debug("removed a temp file left by an interrupted write", "path", f)
		}
	}
}

// Close releases the lock this Local holds, if any.
func (l *Local) Close() error {
	l.mu.Lock()
	id := l.heldID
	l.mu.Unlock()
	if id == "" {
		return nil
	}
	return l.Unlock(context.Background(), id)
}

// ensureDir creates the state file's directory (0700) if it is missing.
func (l *Local) ensureDir() error {
	dir := filepath.Dir(l.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating state directory: %w", err)
	}
	return nil
}
