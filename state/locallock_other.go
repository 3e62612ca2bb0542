//go:build !unix

package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// createLock creates the lock file exclusively (O_EXCL), so exactly one
// process gets it, or returns a *LockHeldError naming the holder. On this
// platform an existing lock file is never taken over, however old: only
// Unlock or ForceUnlock remove it.
func (l *Local) createLock(info LockInfo) (LockInfo, error) {
	info = info.fill(time.Now())
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return LockInfo{}, err
	}
	if err := l.ensureDir(); err != nil {
		return LockInfo{}, err
	}
	f, err := os.OpenFile(l.lockPath(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	for range 3 {
		if !errors.Is(err, fs.ErrExist) {
			break
		}
		if held := l.heldError(); held != nil {
			return LockInfo{}, held
		}
		// Released between our create and our read: try again.
		f, err = os.OpenFile(l.lockPath(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return LockInfo{}, fmt.Errorf("creating lock file: %w", err)
	}
	if err := writeSynced(f, append(data, '\n')); err != nil {
		_ = os.Remove(l.lockPath())
		return LockInfo{}, fmt.Errorf("writing lock file: %w", err)
	}
	return info, syncDir(filepath.Dir(l.lockPath()))
}

func (l *Local) removeLock(id string) error {
	l.closeLockFile()
	if err := os.Remove(l.lockPath()); err != nil {
		return fmt.Errorf("removing lock %s: %w", id, err)
	}
	return syncDir(filepath.Dir(l.lockPath()))
}

// checkHeld reports whether the lock file still names the lock this Local took.
func (l *Local) checkHeld() error {
	info, err := l.readLock()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if info == nil || info.ID != l.heldID {
		return ErrLockLost
	}
	return nil
}

// staleLock cannot tell a dead holder's lock file on this platform.
func (l *Local) staleLock(*LockInfo) bool { return false }
