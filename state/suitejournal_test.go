package state

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func journalEntries() []JournalEntry {
	at := time.Date(2026, 11, 24, 21, 0, 0, 123456789, time.UTC)
	return []JournalEntry{
		{Time: at, Address: "link.main", Action: "create", Result: ResultOK, Serial: 1},
		{Time: at.Add(time.Second), Address: "company.USMF", Action: "create", Result: ResultOK, Serial: 2},
		{Time: at.Add(2 * time.Second), Address: "table_map.customers", Action: "start", Result: ResultFailed, Message: "the map has unmapped mandatory columns", Serial: 2},
	}
}

func testJournalOrder(t *testing.T, st store) {
	a := st.open(t)
	if got, err := a.Journal(context.Background()); err != nil || len(got) != 0 {
		t.Fatalf("Journal of a new store = %v, %v; want empty", got, err)
	}
	entries := journalEntries()
	if err := a.AppendJournal(context.Background(), entries[:2]...); err != nil {
		t.Fatal(err)
	}
	mustLock(t, a, "apply")
	if err := a.AppendJournal(context.Background(), entries[2]); err != nil {
		t.Fatal(err)
	}
	got, err := st.open(t).Journal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := make([]JournalEntry, len(entries))
	for i, e := range entries {
		want[i] = e.normalized()
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Journal (-appended +got):\n%s", diff)
	}
}

func testNoSecret(t *testing.T, st store) {
	const secret = `pa55<w0rd>&"x`
	b := st.open(t, WithSecrets(secret, ""))
	clean := sampleState()
	mustPut(t, b, clean)

	leaks := map[string]func(s *State){
		"attribute": func(s *State) {
			s.SetObject("link.main", Object{Attributes: json.RawMessage(`{"client_secret":` + mustJSON(t, secret) + `}`)})
		},
		"identity": func(s *State) {
			s.SetObject("link.main", Object{Identity: map[string]string{"url": "https://x/?k=" + secret}})
		},
		"cursor": func(s *State) { s.SetCheckpoint("bootstrap.company.USMF", Checkpoint{Cursor: secret}) },
		"count key": func(s *State) {
			s.SetCheckpoint("bootstrap.company.USMF", Checkpoint{Counts: map[string]int64{secret: 1}})
		},
	}
	for name, leak := range leaks {
		s := mustGet(t, b)
		leak(s)
		err := b.Put(context.Background(), s)
		var se *SecretError
		if !errors.As(err, &se) {
			t.Errorf("%s: Put of a state holding a secret = %v, want *SecretError", name, err)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the error repeats the secret: %q", name, err)
		}
	}
	entry := JournalEntry{Address: "link.main", Action: "create", Result: ResultFailed, Message: "login with " + secret + " refused"}
	if err := b.AppendJournal(context.Background(), entry); err != nil {
		t.Fatal(err)
	}
	entry.Address = "link." + secret
	if err := b.AppendJournal(context.Background(), entry); err == nil {
		t.Error("AppendJournal of an address holding a secret succeeded")
	}
	got, err := b.Journal(context.Background())
	if err != nil || len(got) != 1 || got[0].Message != "login with (sensitive value) refused" {
		t.Errorf("Journal = %+v, %v; want one entry with the secret redacted", got, err)
	}
	if diff := cmp.Diff(clean, mustGet(t, b)); diff != "" {
		t.Errorf("stored state changed by refused Puts (-want +got):\n%s", diff)
	}
	if dump := st.dump(t); strings.Contains(dump, secret) || !strings.Contains(dump, "sensitive value") {
		t.Errorf("the store holds the secret or lacks the redacted journal entry:\n%s", dump)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
