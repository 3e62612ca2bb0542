package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUpdateRollsBackOnPanic checks that a panic inside a transaction leaves the store usable and
// unchanged.
func TestUpdateRollsBackOnPanic(t *testing.T) {
	t.Parallel()
	s, err := Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(ctx, func(ctx context.Context) error {
			if err := s.SetSetting(ctx, "k", "lost"); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if err := s.SetSetting(ctx, "k2", "kept"); err != nil {
		t.Fatalf("store unusable after a panic: %v", err)
	}
	got := []string{}
	for _, k := range []string{"k", "k2"} {
		v, _ := s.Setting(ctx, k)
		got = append(got, v)
	}
	if diff := cmp.Diff([]string{"", "kept"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
