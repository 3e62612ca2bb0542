//go:build !linux

package pgtest

import "syscall"

// sysProcAttr runs postgres as cred. Without Linux's parent-death signal a
// crashed test run can leave the server running; Stop still stops it on
// every normal exit.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred}
}
