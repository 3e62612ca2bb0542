// Package mapversion reads the versions of dual-write maps, major.minor.build.revision with each
// part from 0 to 65535 ("1.0.0.12"), as hashicorp/go-version values, so that the planner, the
// dual-write client and the emulator parse and order them one way. dwctl's own version constraints
// (required_version) use go-version directly.
//
// Import rule: only none
package mapversion

import (
	"fmt"
	"strings"

	"github.com/hashicorp/go-version"
)

// Parse reads a map version; anything but four dot-separated numbers from 0 to 65535 is an error.
func Parse(s string) (*version.Version, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return nil, fmt.Errorf("version %q is not of the form major.minor.build.revision", s)
	}
	for _, p := range parts {
		if p == "" || strings.TrimLeft(p, "0123456789") != "" {
			return nil, fmt.Errorf("version %q: part %q is not a number from 0 to 65535", s, p)
		}
	}
	v, err := version.NewVersion(s)
	if err != nil {
		return nil, fmt.Errorf("version %q: %w", s, err)
	}
	for i, n := range v.Segments64() {
		if n > 65535 {
			return nil, fmt.Errorf("version %q: part %q is not a number from 0 to 65535", s, parts[i])
		}
	}
	return v, nil
}

// Parts returns the four numbers of v.
func Parts(v *version.Version) [4]int {
	var out [4]int
	for i, n := range v.Segments64() {
		if i < 4 {
			out[i] = int(n)
		}
	}
	return out
}

// String renders four numbers as a map version.
func String(p [4]int) string { return fmt.Sprintf("%d.%d.%d.%d", p[0], p[1], p[2], p[3]) }
