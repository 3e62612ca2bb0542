//go:build unix

package state

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this pid exists on this host.
// A process of another user counts as alive (EPERM).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
