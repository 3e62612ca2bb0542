//go:build unix

package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// createLock takes the lock file with an OS advisory lock (flock) held on
// it for as long as this process holds the state lock, and writes info into
// it for messages. A holder that dies, whatever the signal, loses the OS
// lock with its process, so its lock file is simply taken over by the next
// dwctl — no force-unlock needed. A lock file left by a process of another
// host is not taken over: flock may not reach across a shared file system.
func (l *Local) createLock(info LockInfo) (LockInfo, error) {
	info = info.fill(time.Now())
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return LockInfo{}, err
	}
	if err := l.ensureDir(); err != nil {
		return LockInfo{}, err
	}
	for range 3 {
		f, err := os.OpenFile(l.lockPath(), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return LockInfo{}, fmt.Errorf("opening lock file: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if !errors.Is(err, syscall.EWOULDBLOCK) {
				return LockInfo{}, fmt.Errorf("locking %s: %w", l.lockPath(), err)
			}
			if held := l.heldError(); held != nil {
				held.Note = "" // the OS lock says its holder is alive
				return LockInfo{}, held
			}
			continue // released meanwhile
		}
		if !sameFile(f, l.lockPath()) {
			f.Close() // removed or replaced after we opened it: take the new one
			continue
		}
		if prev, err := l.readLock(); err == nil && prev.Host != "" && !isThisHost(prev.Host) {
			f.Close()
			return LockInfo{}, &LockHeldError{Info: *prev, Seen: time.Now(), Note: "it was taken on another host, which dwctl cannot check; " +
				"if no dwctl command is running there, release it with force-unlock " + prev.ID}
		}
		if err := f.Truncate(0); err != nil {
			f.Close()
			return LockInfo{}, fmt.Errorf("writing lock file: %w", err)
		}
		if _, err := f.WriteAt(append(data, '\n'), 0); err != nil {
			f.Close()
			return LockInfo{}, fmt.Errorf("writing lock file: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return LockInfo{}, fmt.Errorf("writing lock file: %w", err)
		}
		l.lockFile = f
		return info, syncDir(filepath.Dir(l.lockPath()))
	}
	return LockInfo{}, &LockHeldError{Seen: time.Now(), Note: "it is being taken and released repeatedly by other processes"}
}

func isThisHost(host string) bool {
	h, _ := os.Hostname()
	return h == host
}

// sameFile reports whether f is still the file at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// removeLock removes the lock file, then releases the OS lock.
func (l *Local) removeLock(id string) error {
	err := os.Remove(l.lockPath())
	l.closeLockFile()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing lock %s: %w", id, err)
	}
	return syncDir(filepath.Dir(l.lockPath()))
}

// checkHeld reports whether this Local still holds its lock: the file it
// locked is still the lock file and still names its lock.
func (l *Local) checkHeld() error {
	if l.lockFile == nil || !sameFile(l.lockFile, l.lockPath()) {
		return ErrLockLost
	}
	info, err := l.readLock()
	if err != nil || info.ID != l.heldID {
		return ErrLockLost
	}
	return nil
}

// staleLock reports whether a lock file of this host has no live holder:
// nobody holds its OS lock.
func (l *Local) staleLock(info *LockInfo) bool {
	if info.Host != "" && !isThisHost(info.Host) {
		return false
	}
	f, err := os.Open(l.lockPath())
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return false
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}
