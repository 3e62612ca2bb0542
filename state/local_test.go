package state

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var errCrash = errors.New("simulated crash")

// TestLocalTornWrite crashes a Put between the temp file write and the
// rename and checks the previous state survives and a later Put works.
func TestLocalTornWrite(t *testing.T) {
	tests := map[string]func(tmp string) error{
		"crash before rename": func(string) error { return errCrash },
		"temp file half written": func(tmp string) error {
			fi, err := os.Stat(tmp)
			if err != nil {
				return err
			}
			if err := os.Truncate(tmp, fi.Size()/2); err != nil {
				return err
			}
			return errCrash
		},
	}
	for name, hook := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			l := NewLocal(path)
			before := sampleState()
			mustPut(t, l, before)

			id := mustLock(t, l, "apply")
			next := before.Clone()
			next.RemoveObject("company.USMF")
			l.beforeRename = hook
			if err := l.Put(context.Background(), next); !errors.Is(err, errCrash) {
				t.Fatalf("Put with a crash = %v, want the crash", err)
			}
			if diff := cmp.Diff(before, mustGet(t, NewLocal(path))); diff != "" {
				t.Fatalf("state after the crash (-before +got):\n%s", diff)
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json.tmp-*"))
			if len(leftovers) != 1 {
				t.Errorf("temp files after the crash: %v, want the one the crash left", leftovers)
			}
			// The crashed process left its lock; an operator force-unlocks
			// it and a new process writes on, clearing the leftovers.
			after := NewLocal(path)
			if err := after.ForceUnlock(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			mustLock(t, after, "apply")
			s := mustGet(t, after)
			s.RemoveObject("company.USMF")
			mustPut(t, after, s)
			if got := mustGet(t, after); got.Serial != 2 || len(got.Objects) != 1 {
				t.Errorf("state after the next Put: serial %d, %d objects; want 2, 1", got.Serial, len(got.Objects))
			}
			if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json.tmp-*")); len(leftovers) != 0 {
				t.Errorf("temp files after the next Put: %v, want none", leftovers)
			}
		})
	}
}

// TestLocalFileModes checks every file is 0600 and the directory 0700, even
// when the state file was readable by others before.
func TestLocalFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".dwctl")
	path := filepath.Join(dir, "state.json")
	l := NewLocal(path)
	s := sampleState()
	mustPut(t, l, s)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	mustPut(t, l, s)
	mustLock(t, l, "apply")
	if err := l.AppendJournal(context.Background(), journalEntries()...); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600, path + ".lock": 0o600, path + ".journal": 0o600}
	got := map[string]os.FileMode{}
	for p := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		got[p] = fi.Mode()
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modes (-want +got):\n%s", diff)
	}
}

// TestLocalTornJournal checks that a torn last journal line (a crash in
// the middle of an append) is ignored by readers and cut by the next append.
func TestLocalTornJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	l := NewLocal(path)
	entries := journalEntries()
	if err := l.AppendJournal(context.Background(), entries[0]); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path+".journal", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"time":"2026-11-24T21:00:01Z","addr`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := l.Journal(context.Background())
	if err != nil || len(got) != 1 {
		t.Fatalf("Journal with a torn line = %d entries, %v; want 1", len(got), err)
	}
	if err := l.AppendJournal(context.Background(), entries[1]); err != nil {
		t.Fatal(err)
	}
	got, err = l.Journal(context.Background())
	want := []JournalEntry{entries[0].normalized(), entries[1].normalized()}
	if diff := cmp.Diff(want, got); diff != "" || err != nil {
		t.Errorf("Journal after the next append (%v) (-want +got):\n%s", err, diff)
	}
}

// TestLocalStaleLock checks a lock left by a dead process is reported as
// such and never taken over.
// TestLocalStaleLock: a lock file nobody holds the OS lock of — left by a
// process that died, or damaged — is taken over; one taken on another host
// is not, since dwctl cannot check that host.
func TestLocalStaleLock(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	tests := map[string]struct {
		lockFile string
		wantHeld string // the held lock's ID, "" when the lock is taken
		wantNote string
	}{
		"dead process on this host": {lockFile: mustJSON(t, LockInfo{ID: "old", Who: "ci", Host: host, PID: dead.Process.Pid, Operation: "apply"})},
		"process on another host": {
			lockFile: mustJSON(t, LockInfo{ID: "remote", Who: "ci", Host: "elsewhere.invalid", PID: dead.Process.Pid, Operation: "apply"}),
			wantHeld: "remote", wantNote: "another host",
		},
		"damaged lock file": {lockFile: `{"id": "x`},
		"empty lock file":   {lockFile: ``},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(path+".lock", []byte(tc.lockFile), 0o600); err != nil {
				t.Fatal(err)
			}
			l := NewLocal(path)
			id, err := l.Lock(context.Background(), LockInfo{Operation: "apply"})
			if tc.wantHeld == "" {
				if err != nil {
					t.Fatalf("Lock = %v, want the lock", err)
				}
				if holder, _ := l.LockHolder(context.Background()); holder == nil || holder.ID != id {
					t.Errorf("lock file names %+v, want the new lock %s", holder, id)
				}
				return
			}
			var held *LockHeldError
			if !errors.As(err, &held) || held.Info.ID != tc.wantHeld || !strings.Contains(held.Note, tc.wantNote) {
				t.Fatalf("Lock = %v, want a *LockHeldError for %s with a note on %q", err, tc.wantHeld, tc.wantNote)
			}
			if data, _ := os.ReadFile(path + ".lock"); string(data) != tc.lockFile {
				t.Errorf("the lock file was changed to %q", data)
			}
		})
	}
}

// TestLocalLockIsExclusive: while one Local holds the lock, another (as
// another process would) gets a *LockHeldError without a stale-lock note,
// and after a force-unlock the first one knows it lost the lock.
func TestLocalLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a, b := NewLocal(path), NewLocal(path)
	id, err := a.Lock(context.Background(), LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lock(context.Background(), LockInfo{Operation: "plan"})
	var held *LockHeldError
	if !errors.As(err, &held) || held.Info.ID != id || held.Note != "" {
		t.Fatalf("second Lock = %v, want the first one's lock without a note", err)
	}
	if err := a.CheckLock(context.Background()); err != nil {
		t.Fatalf("CheckLock of the holder = %v", err)
	}
	if err := b.ForceUnlock(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := a.CheckLock(context.Background()); !errors.Is(err, ErrLockLost) {
		t.Fatalf("CheckLock after a force-unlock = %v, want ErrLockLost", err)
	}
	id2, err := b.Lock(context.Background(), LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatalf("Lock after the force-unlock = %v", err)
	}
	if err := a.Put(context.Background(), New()); !errors.Is(err, ErrLockLost) {
		t.Errorf("Put by the holder that lost its lock = %v, want ErrLockLost", err)
	}
	if err := b.Unlock(context.Background(), id2); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err == nil || !errors.Is(err, ErrLockLost) {
		t.Errorf("Close of the holder that lost its lock = %v, want ErrLockLost", err)
	}
}

// TestLocalCorruptStateNotOverwritten checks a Put never replaces a state
// file it cannot read.
func TestLocalCorruptStateNotOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	const corrupt = `{"format_version": 1, "lineage": `
	if err := os.WriteFile(path, []byte(corrupt), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := NewLocal(path).Put(context.Background(), New()); err == nil {
		t.Fatal("Put over a corrupt state file succeeded")
	}
	if data, _ := os.ReadFile(path); string(data) != corrupt {
		t.Errorf("corrupt state file was changed to %q", data)
	}
}
