package state_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/dwctl/dwctl/state"
)

// Example shows how a command that writes state uses a Backend: lock (here
// waiting up to a minute, as -lock-timeout=1m asks), read, change, store,
// journal, unlock.
func Example() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	b, err := state.Open(ctx, "local", map[string]string{"path": filepath.Join(dir, "state.json")},
		state.WithSecrets("client-secret-value"))
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()

	lockCtx, cancel := context.WithTimeout(ctx, time.Minute)
	id, err := b.Lock(lockCtx, state.LockInfo{Operation: "apply"})
	cancel()
	if err != nil {
		log.Fatal(err) // a *state.LockHeldError names the holder
	}
	defer b.Unlock(ctx, id)

	s, err := state.GetOrNew(ctx, b)
	if err != nil {
		log.Fatal(err)
	}
	s.SetObject("company.USMF", state.Object{
		Identity:    map[string]string{"company": "USMF"},
		Fingerprint: "sha256:0a1b",
		Attributes:  json.RawMessage(`{"name":"Contoso US"}`),
	})
	if err := b.Put(ctx, s); err != nil {
		log.Fatal(err)
	}
	err = b.AppendJournal(ctx, state.JournalEntry{
		Time: time.Now(), Address: "company.USMF", Action: "create", Result: state.ResultOK, Serial: s.Serial,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("serial", s.Serial, "objects", s.Addresses())
	// Output: serial 1 objects [company.USMF]
}
