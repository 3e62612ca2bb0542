package state

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLockRetry(t *testing.T) {
	held := &LockHeldError{Info: LockInfo{ID: "other"}}
	boom := errors.New("boom")
	tests := map[string]struct {
		timeout   time.Duration // 0: no deadline
		results   []error       // what each try returns; the last repeats
		wantErr   error
		wantTries int // exact, or the minimum when timeout > 0 and the last result repeats
	}{
		"free at once":          {results: []error{nil}, wantTries: 1},
		"held, no deadline":     {results: []error{held}, wantErr: held, wantTries: 1},
		"other error":           {timeout: time.Minute, results: []error{boom}, wantErr: boom, wantTries: 1},
		"held, then free":       {timeout: time.Minute, results: []error{held, held, nil}, wantTries: 3},
		"held until deadline":   {timeout: 500 * time.Millisecond, results: []error{held}, wantErr: held, wantTries: 2},
		"held, then error":      {timeout: time.Minute, results: []error{held, boom}, wantErr: boom, wantTries: 2},
		"deadline already past": {timeout: -time.Second, results: []error{held}, wantErr: held, wantTries: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if tc.timeout != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			tries := 0
			id, err := lockRetry(ctx, nil, func() (string, error) {
				r := tc.results[min(tries, len(tc.results)-1)]
				tries++
				if r != nil {
					return "", r
				}
				return "new-id", nil
			})
			if !errors.Is(err, tc.wantErr) || (err == nil) != (id == "new-id") {
				t.Fatalf("lockRetry = %q, %v; want error %v", id, err, tc.wantErr)
			}
			repeats := tc.timeout > 0 && tries >= len(tc.results) && tc.results[len(tc.results)-1] == held
			if tries != tc.wantTries && !(repeats && tries >= tc.wantTries) {
				t.Errorf("tried %d times, want %d", tries, tc.wantTries)
			}
		})
	}
}
