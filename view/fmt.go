package view

import (
	"bytes"
	"fmt"
	"io"

	"github.com/rogpeppe/go-internal/diff"
)

// Fmt shows what dwctl fmt changed or would change.
type Fmt struct {
	Streams
	// List prints the name of every file whose formatting differs.
	List bool
	// Diff prints a unified diff of every such file.
	Diff bool
}

// Changed reports one file whose canonical form differs from its content.
func (v Fmt) Changed(name string, before, after []byte) error {
	if v.List {
		if _, err := fmt.Fprintln(v.Out, name); err != nil {
			return err
		}
	}
	if !v.Diff {
		return nil
	}
	return v.writeDiff(diff.Diff("old/"+name, before, "new/"+name, after))
}

// Formatted writes the formatted source of standard input to Out.
func (v Fmt) Formatted(src []byte) error {
	_, err := v.Out.Write(src)
	return err
}

// writeDiff prints a unified diff, colouring removed and added lines.
func (v Fmt) writeDiff(d []byte) error {
	if !v.OutColor {
		_, err := v.Out.Write(d)
		return err
	}
	var b bytes.Buffer
	for _, l := range bytes.SplitAfter(d, []byte("\n")) {
		switch {
		case bytes.HasPrefix(l, []byte("---")), bytes.HasPrefix(l, []byte("+++")), bytes.HasPrefix(l, []byte("diff ")):
			b.WriteString(paint(true, ansiBold, string(bytes.TrimSuffix(l, []byte("\n")))))
		case bytes.HasPrefix(l, []byte("-")):
			b.WriteString(paint(true, ansiRed, string(bytes.TrimSuffix(l, []byte("\n")))))
		case bytes.HasPrefix(l, []byte("+")):
			b.WriteString(paint(true, ansiGreen, string(bytes.TrimSuffix(l, []byte("\n")))))
		default:
			b.Write(bytes.TrimSuffix(l, []byte("\n")))
		}
		if bytes.HasSuffix(l, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	_, err := io.Copy(v.Out, &b)
	return err
}
