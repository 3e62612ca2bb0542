package state

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func testLockHeld(t *testing.T, st store) {
	a, b := st.open(t), st.open(t)
	id := mustLock(t, a, "apply")
	holder, err := b.LockHolder(context.Background())
	if err != nil || holder == nil {
		t.Fatalf("LockHolder = %v, %v; want the holder", holder, err)
	}
	host, _ := os.Hostname()
	want := LockInfo{ID: id, Who: currentUser(), Host: host, PID: os.Getpid(), Operation: "apply", Created: holder.Created}
	if diff := cmp.Diff(want, *holder); diff != "" {
		t.Errorf("LockHolder (-want +got):\n%s", diff)
	}
	if age := time.Since(holder.Created); age < 0 || age > time.Hour {
		t.Errorf("lock created %v ago, want just now", age)
	}
	_, err = b.Lock(context.Background(), LockInfo{Operation: "plan"})
	var held *LockHeldError
	if !errors.As(err, &held) {
		t.Fatalf("second Lock = %v, want *LockHeldError", err)
	}
	if diff := cmp.Diff(*holder, held.Info); diff != "" {
		t.Errorf("LockHeldError.Info (-holder +got):\n%s", diff)
	}
	for _, part := range []string{id, `"apply"`, currentUser() + "@" + host, "since " + holder.Created.Format(time.RFC3339)} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not mention %s", err, part)
		}
	}
	if _, err := a.Lock(context.Background(), LockInfo{Operation: "again"}); !errors.As(err, &held) {
		t.Errorf("Lock by the holder itself = %v, want *LockHeldError", err)
	}
}

func testWritesWhileHeld(t *testing.T, st store) {
	a, b := st.open(t), st.open(t)
	mustPut(t, a, sampleState())
	mustLock(t, a, "apply")
	s := mustGet(t, b)
	var held *LockHeldError
	if err := b.Put(context.Background(), s); !errors.As(err, &held) {
		t.Errorf("Put while another holds the lock = %v, want *LockHeldError", err)
	}
	if err := b.AppendJournal(context.Background(), JournalEntry{Address: "company.USMF", Action: "create"}); !errors.As(err, &held) {
		t.Errorf("AppendJournal while another holds the lock = %v, want *LockHeldError", err)
	}
	mustPut(t, a, s)
}

func testLockWaits(t *testing.T, st store) {
	a := st.open(t)
	idA := mustLock(t, a, "apply")
	waits := 0
	b := st.open(t, WithLockWait(func(held *LockHeldError, retryIn time.Duration) {
		waits++
		if held.Info.ID != idA {
			t.Errorf("waiting on lock %q, want %q", held.Info.ID, idA)
		}
		if retryIn <= 0 {
			t.Errorf("retryIn = %v, want > 0", retryIn)
		}
		if waits == 1 {
			if err := a.Unlock(context.Background(), idA); err != nil {
				t.Errorf("Unlock: %v", err)
			}
		}
	}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	idB, err := b.Lock(ctx, LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatalf("Lock with a timeout after the holder unlocked = %v", err)
	}
	if waits != 1 {
		t.Errorf("waited %d times, want 1", waits)
	}
	if holder, _ := a.LockHolder(context.Background()); holder == nil || holder.ID != idB {
		t.Errorf("LockHolder = %+v, want lock %s", holder, idB)
	}
}

func testLockTimeoutExpires(t *testing.T, st store) {
	a := st.open(t)
	id := mustLock(t, a, "apply")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	waits := 0
	b := st.open(t, WithLockWait(func(*LockHeldError, time.Duration) {
		if waits++; waits == 2 {
			cancel() // the timeout runs out while waiting
		}
	}))
	_, err := b.Lock(ctx, LockInfo{Operation: "apply"})
	var held *LockHeldError
	if !errors.As(err, &held) || held.Info.ID != id {
		t.Fatalf("Lock after the timeout = %v, want *LockHeldError for %s", err, id)
	}
	if waits != 2 {
		t.Errorf("waited %d times, want 2", waits)
	}
}

func testForceUnlock(t *testing.T, st store) {
	a, admin := st.open(t), st.open(t)
	mustPut(t, a, sampleState())
	s := mustGet(t, a)
	id := mustLock(t, a, "apply")
	err := admin.ForceUnlock(context.Background(), "not-the-id")
	var wrong *LockIDError
	if !errors.As(err, &wrong) || wrong.Holder.ID != id {
		t.Fatalf("ForceUnlock with a wrong ID = %v, want *LockIDError naming %s", err, id)
	}
	if h, _ := admin.LockHolder(context.Background()); h == nil || h.ID != id {
		t.Fatalf("after a refused ForceUnlock the holder is %+v, want %s", h, id)
	}
	if err := admin.ForceUnlock(context.Background(), id); err != nil {
		t.Fatalf("ForceUnlock: %v", err)
	}
	if h, err := admin.LockHolder(context.Background()); h != nil || err != nil {
		t.Fatalf("LockHolder after ForceUnlock = %+v, %v; want unlocked", h, err)
	}
	if err := a.Put(context.Background(), s); !errors.Is(err, ErrLockLost) {
		t.Errorf("Put by the former holder = %v, want ErrLockLost", err)
	}
	if err := admin.ForceUnlock(context.Background(), id); !errors.Is(err, ErrNotLocked) {
		t.Errorf("ForceUnlock when unlocked = %v, want ErrNotLocked", err)
	}
	mustLock(t, admin, "apply")
}

func testUnlockRules(t *testing.T, st store) {
	a, b := st.open(t), st.open(t)
	id := mustLock(t, a, "apply")
	if err := b.Unlock(context.Background(), id); !errors.Is(err, ErrNotLockHolder) {
		t.Errorf("Unlock by another process = %v, want ErrNotLockHolder", err)
	}
	if err := a.Unlock(context.Background(), "other"); !errors.Is(err, ErrNotLockHolder) {
		t.Errorf("Unlock with a wrong ID = %v, want ErrNotLockHolder", err)
	}
	if err := a.Unlock(context.Background(), id); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	if err := a.Unlock(context.Background(), id); !errors.Is(err, ErrNotLockHolder) {
		t.Errorf("second Unlock = %v, want ErrNotLockHolder", err)
	}
	mustLock(t, b, "apply")
}

func testCloseReleases(t *testing.T, st store) {
	a := st.open(t)
	mustLock(t, a, "apply")
	if err := a.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if h, err := st.open(t).LockHolder(context.Background()); h != nil || err != nil {
		t.Fatalf("LockHolder after Close = %+v, %v; want unlocked", h, err)
	}
}
