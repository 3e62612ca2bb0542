package state

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGuardCheckState(t *testing.T) {
	const secret = "s3cr3t<&>"
	tests := map[string]struct {
		secrets  []string
		spoil    func(s *State)
		wantPath string // "" for no error
	}{
		"clean": {secrets: []string{secret}, spoil: func(*State) {}},
		"no secrets given": {spoil: func(s *State) {
			s.SetObject("link.main", Object{Fingerprint: secret})
		}},
		"empty secret ignored": {secrets: []string{""}, spoil: func(*State) {}},
		"fingerprint": {
			secrets:  []string{secret},
			spoil:    func(s *State) { s.SetObject("link.main", Object{Fingerprint: "x" + secret}) },
			wantPath: `objects["link.main"].fingerprint`,
		},
		"nested attribute, JSON escaped": {
			secrets: []string{secret},
			spoil: func(s *State) {
				s.SetObject("link.main", Object{Attributes: json.RawMessage(`{"auth":{"keys":["a","s3cr3t\u003c\u0026\u003e"]}}`)})
			},
			wantPath: `objects["link.main"].attributes.auth.keys[1]`,
		},
		"attribute key": {
			secrets:  []string{secret},
			spoil:    func(s *State) { s.SetObject("link.main", Object{Attributes: json.RawMessage(`{"s3cr3t<&>":1}`)}) },
			wantPath: `objects["link.main"].attributes (a key)`,
		},
		"numeric secret": {
			secrets:  []string{"987654"},
			spoil:    func(s *State) { s.SetObject("link.main", Object{Attributes: json.RawMessage(`{"pin":19876543}`)}) },
			wantPath: `objects["link.main"].attributes.pin`,
		},
		"address": {
			secrets:  []string{"USMF"},
			spoil:    func(*State) {},
			wantPath: "objects (a key)",
		},
		"second secret": {
			secrets:  []string{"absent", "skiptoken"},
			spoil:    func(*State) {},
			wantPath: `checkpoints["initial_sync.table_map.customers"].cursor`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := sampleState()
			tc.spoil(s)
			err := NewGuard(tc.secrets...).CheckState(s)
			var se *SecretError
			if tc.wantPath == "" {
				if err != nil {
					t.Fatalf("CheckState = %v, want nil", err)
				}
				return
			}
			if !errors.As(err, &se) {
				t.Fatalf("CheckState = %v, want *SecretError", err)
			}
			if diff := cmp.Diff(tc.wantPath, se.Path); diff != "" {
				t.Errorf("path (-want +got):\n%s", diff)
			}
			for _, secret := range tc.secrets {
				if secret != "" && strings.Contains(err.Error(), secret) && !strings.Contains(tc.wantPath, secret) {
					t.Errorf("error %q repeats the secret", err)
				}
			}
		})
	}
}

func TestGuardRedactJournal(t *testing.T) {
	g := NewGuard("hunter2", "hunter2", "tok")
	tests := map[string]struct {
		in      JournalEntry
		want    JournalEntry
		wantErr bool
	}{
		"clean": {
			in:   JournalEntry{Address: "link.main", Message: "ok"},
			want: JournalEntry{Address: "link.main", Message: "ok"},
		},
		"message redacted": {
			in:   JournalEntry{Address: "link.main", Message: "401 for hunter2 and tok"},
			want: JournalEntry{Address: "link.main", Message: "401 for (sensitive value) and (sensitive value)"},
		},
		"action refused": {in: JournalEntry{Address: "link.main", Action: "tok"}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := g.RedactJournal(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatal("RedactJournal succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("RedactJournal (-want +got):\n%s", diff)
			}
		})
	}
}
