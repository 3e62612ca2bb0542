package wire

import (
	"crypto/rand"
	"crypto/sha1"
	"fmt"
	"strings"
)

// NewGUID returns a random (version 4) GUID in the lowercase form both services use.
func NewGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return FormatGUID(b)
}

// FormatGUID renders 16 random bytes as a version 4 GUID.
func FormatGUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// StableGUID derives a GUID from a name, so seeded metadata ids are the same in every data directory.
func StableGUID(name string) string {
	sum := sha1.Sum([]byte("dwctl-emulator:" + name))
	var b [16]byte
	copy(b[:], sum[:16])
	return FormatGUID(b)
}

// AnyString returns v when it is a string and "" otherwise.
func AnyString(v any) string {
	s, _ := v.(string)
	return s
}

// ContainsFold reports whether list holds s, ignoring case.
func ContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
