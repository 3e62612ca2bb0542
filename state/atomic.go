package state

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// writeFileAtomic replaces path with data so that a reader or a crash sees
// either the old file or the new one, never a mix: the data goes to a temp
// file in the same directory, is synced, renamed over path, and the
// directory is synced so the rename itself is durable. The file is 0600.
//
// beforeRename, when set, runs after the temp file is synced and before the
// rename; if it fails, writeFileAtomic returns at once and leaves the temp
// file behind exactly as a crash at that point would.
func writeFileAtomic(path string, data []byte, beforeRename func(tmp string) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	crashed := false
	defer func() {
		if err != nil && !crashed {
			_ = os.Remove(tmp)
		}
	}()
	if err := writeSynced(f, data); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if beforeRename != nil {
		if err := beforeRename(tmp); err != nil {
			crashed = true
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

// writeSynced writes data to f with mode 0600, syncs and closes it.
func writeSynced(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename, create or remove in dir durable. Windows cannot
// sync a directory; there the rename is as durable as the OS makes it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}
