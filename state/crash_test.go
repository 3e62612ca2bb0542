package state

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// crashChildEnv makes the test binary a writer that TestKilledWriter kills:
// its value is the backend kind, with the settings as JSON in crashSettingsEnv.
const (
	crashChildEnv    = "DWCTL_STATE_CRASH_CHILD"
	crashSettingsEnv = "DWCTL_STATE_CRASH_SETTINGS"
)

// crashChild takes the lock and writes state and journal in a loop, one
// object more per write, telling its parent "ready" after the first write.
// It runs until killed.
func crashChild() int {
	ctx := context.Background()
	var settings map[string]string
	if err := json.Unmarshal([]byte(os.Getenv(crashSettingsEnv)), &settings); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	b, err := Open(ctx, os.Getenv(crashChildEnv), settings)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if _, err := b.Lock(ctx, LockInfo{Operation: "apply"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s := New()
	pad := json.RawMessage(`{"pad":"` + strings.Repeat("x", 64<<10) + `"}`)
	for i := 0; ; i++ {
		s.SetObject(fmt.Sprintf("company.C%06d", i), Object{Attributes: pad})
		if err := b.Put(ctx, s); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if err := b.AppendJournal(ctx, JournalEntry{Time: time.Now(), Address: "company.x", Action: "create", Result: ResultOK, Serial: s.Serial}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if i == 0 {
			fmt.Println("ready")
		}
	}
}

// startCrashChild runs the writer and returns once it has written once.
func startCrashChild(t *testing.T, kind string, settings map[string]string) *exec.Cmd {
	t.Helper()
	data, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), crashChildEnv+"="+kind, crashSettingsEnv+"="+string(data))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("writer said %q, %v; want ready", line, err)
	}
	return cmd
}

// TestKilledWriter SIGKILLs a process in the middle of writing state and
// journal, then checks what it left: a whole state, a readable journal, and
// a lock that is reported (local) or released by the server (pg).
func TestKilledWriter(t *testing.T) {
	tests := map[string]func(t *testing.T) (kind string, settings map[string]string){
		"local": func(t *testing.T) (string, map[string]string) {
			return "local", map[string]string{"path": filepath.Join(t.TempDir(), "state.json")}
		},
		"pg": func(t *testing.T) (string, map[string]string) {
			return "pg", map[string]string{"conn": pgServer.URL, "workspace": fmt.Sprint("killed-writer-", workspaceSeq.Add(1))}
		},
	}
	for name, setup := range tests {
		t.Run(name, func(t *testing.T) {
			kind, settings := setup(t)
			child := startCrashChild(t, kind, settings)
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait()

			b, err := Open(context.Background(), kind, settings)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			s := mustGet(t, b)
			if s.Serial == 0 || uint64(len(s.Objects)) != s.Serial {
				t.Errorf("state at serial %d with %d objects, want one object per write", s.Serial, len(s.Objects))
			}
			journal, err := b.Journal(context.Background())
			if n := uint64(len(journal)); err != nil || n+1 < s.Serial || n > s.Serial {
				t.Errorf("journal: %d entries, %v; want %d or %d", n, err, s.Serial-1, s.Serial)
			}
			checkKilledHolderLock(t, b, kind, child.Process.Pid)
			s.SetObject("company.after", Object{})
			mustPut(t, b, s)
		})
	}
}

// checkKilledHolderLock takes the lock after its holder was killed: the lock
// died with its holder (the OS lock of the local lock file, the server
// session of pg), so the next command takes it without force-unlock, and
// the lock file then names the new holder.
func checkKilledHolderLock(t *testing.T, b Backend, kind string, pid int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if holder, err := b.LockHolder(ctx); err != nil || holder != nil {
		t.Errorf("LockHolder after the holder was killed = %+v, %v; want none", holder, err)
	}
	id, err := b.Lock(context.Background(), LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatalf("Lock after the holder (pid %d) was killed = %v, want the lock", pid, err)
	}
	if holder, err := b.LockHolder(ctx); err != nil || holder == nil || holder.ID != id || holder.PID != os.Getpid() {
		t.Errorf("LockHolder = %+v, %v; want this process's lock %s", holder, err, id)
	}
	if err := b.Unlock(ctx, id); err != nil {
		t.Fatal(err)
	}
	_ = kind
}

func mustLockCtx(t *testing.T, ctx context.Context, b Backend) {
	t.Helper()
	if _, err := b.Lock(ctx, LockInfo{Operation: "apply"}); err != nil {
		t.Fatalf("Lock: %v", err)
	}
}
