package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Lock takes the lock file PATH.lock (see createLock for how each platform
// makes it exclusive) and writes info into it.
func (l *Local) Lock(ctx context.Context, info LockInfo) (string, error) {
	return lockRetry(ctx, l.opts.wait, func() (string, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		got, err := l.createLock(info)
		if err != nil {
			return "", err
		}
		l.heldID = got.ID
		l.opts.logger.Debug("state lock taken", "path", l.lockPath(), "id", got.ID)
		return got.ID, nil
	})
}

// heldError describes the current holder of the lock file, or returns nil
// if there is no lock file any more.
func (l *Local) heldError() *LockHeldError {
	info, err := l.readLock()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &LockHeldError{Seen: time.Now(), Note: err.Error()}
	}
	held := &LockHeldError{Info: *info, Seen: time.Now()}
	if host, _ := os.Hostname(); host == info.Host && info.PID > 0 && !processAlive(info.PID) {
		held.Note = fmt.Sprintf("process %d on this host is no longer running: if no dwctl command is in progress, release the lock with force-unlock %s", info.PID, info.ID)
	}
	return held
}

// readLock reads the lock file; fs.ErrNotExist means unlocked.
func (l *Local) readLock() (*LockInfo, error) {
	data, err := os.ReadFile(l.lockPath())
	if err != nil {
		return nil, err
	}
	var info LockInfo
	if err := json.Unmarshal(data, &info); err != nil || info.ID == "" {
		return nil, fmt.Errorf("lock file %s is empty or damaged; if no dwctl command is running, delete it", l.lockPath())
	}
	return &info, nil
}

// Unlock removes the lock file of the lock this Local took.
func (l *Local) Unlock(ctx context.Context, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if id == "" || id != l.heldID {
		return ErrNotLockHolder
	}
	l.heldID = ""
	info, err := l.readLock()
	if err != nil || info.ID != id {
		l.closeLockFile()
		if errors.Is(err, fs.ErrNotExist) || err == nil {
			return ErrLockLost
		}
		return err
	}
	return l.removeLock(id)
}

// closeLockFile closes the lock file this Local holds open, which releases
// its OS lock.
func (l *Local) closeLockFile() {
	if l.lockFile != nil {
		l.lockFile.Close()
		l.lockFile = nil
	}
}

// ForceUnlock removes the lock file if it holds the lock with this ID.
func (l *Local) ForceUnlock(ctx context.Context, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	info, err := l.readLock()
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotLocked
	}
	if err != nil {
		return err
	}
	if info.ID != id {
		return &LockIDError{Given: id, Holder: *info}
	}
	if l.heldID == id {
		l.heldID = ""
	}
	l.opts.logger.Info("state lock forcibly released", "path", l.lockPath(), "id", id, "holder", info.Who+"@"+info.Host)
	return l.removeLock(id)
}

// LockHolder reads the lock file; a lock file its holder left when it died
// (see staleLock) is no lock.
func (l *Local) LockHolder(ctx context.Context) (*LockInfo, error) {
	info, err := l.readLock()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil && l.staleLock(info) {
		return nil, nil
	}
	return info, err
}

// CheckLock confirms this Local still holds its lock.
func (l *Local) CheckLock(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.heldID == "" {
		return nil // no lock taken: nothing to confirm
	}
	return l.checkHeld()
}
