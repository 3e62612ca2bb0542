package state

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// AppendJournal appends one JSON line per entry to PATH.journal and syncs
// it. A torn last line left by a crash is cut off before appending.
func (l *Local) AppendJournal(ctx context.Context, entries ...JournalEntry) error {
	var buf bytes.Buffer
	for _, e := range entries {
		e, err := l.opts.guard.RedactJournal(e.normalized())
		if err != nil {
			return err
		}
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		buf.Write(append(line, '\n'))
	}
	if buf.Len() == 0 {
		return nil
	}
	return l.underLock(ctx, "append journal", func() error {
		return l.appendLines(buf.Bytes())
	})
}

func (l *Local) appendLines(data []byte) error {
	if err := l.ensureDir(); err != nil {
		return err
	}
	f, err := os.OpenFile(l.journalPath(), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening journal: %w", err)
	}
	defer f.Close()
	end, err := completeLinesEnd(f)
	if err != nil {
		return fmt.Errorf("reading journal: %w", err)
	}
	if err := f.Truncate(end); err != nil {
		return fmt.Errorf("trimming journal: %w", err)
	}
	if _, err := f.WriteAt(data, end); err != nil {
		return fmt.Errorf("appending to journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing journal: %w", err)
	}
	return f.Close()
}

// completeLinesEnd returns the size of f without a torn last line. Only
// after a crash does it need to read more than the last byte.
func completeLinesEnd(f *os.File) (int64, error) {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return 0, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		return 0, err
	}
	if last[0] == '\n' {
		return fi.Size(), nil
	}
	all := make([]byte, fi.Size())
	if _, err := f.ReadAt(all, 0); err != nil {
		return 0, err
	}
	return int64(bytes.LastIndexByte(all, '\n') + 1), nil
}

// Journal reads PATH.journal, ignoring a torn last line left by a crash.
func (l *Local) Journal(ctx context.Context) ([]JournalEntry, error) {
	data, err := os.ReadFile(l.journalPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading journal: %w", err)
	}
	data = data[:bytes.LastIndexByte(data, '\n')+1]
	var entries []JournalEntry
	for n, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e JournalEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", l.journalPath(), n+1, err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}
