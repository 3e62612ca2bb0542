package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Lock creates the lock file PATH.lock exclusively (O_EXCL), so exactly one
// process gets it, and writes info into it. An existing lock file is never
// taken over, however old: only Unlock or ForceUnlock remove it.
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

// createLock creates the lock file or returns a *LockHeldError naming the
// holder.
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

func (l *Local) removeLock(id string) error {
	if err := os.Remove(l.lockPath()); err != nil {
		return fmt.Errorf("removing lock %s: %w", id, err)
	}
	return syncDir(filepath.Dir(l.lockPath()))
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
	if errors.Is(err, fs.ErrNotExist) {
		return ErrLockLost
	}
	if err != nil {
		return err
	}
	if info.ID != id {
		return ErrLockLost
	}
	return l.removeLock(id)
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

// LockHolder reads the lock file.
func (l *Local) LockHolder(ctx context.Context) (*LockInfo, error) {
	info, err := l.readLock()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return info, err
}
