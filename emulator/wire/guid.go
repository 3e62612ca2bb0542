package wire

import (
	"crypto/rand"
	"fmt"
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
