package pgtest

import "syscall"

// sysProcAttr runs postgres as cred with SIGQUIT (immediate shutdown) sent
// to it if the test process dies first.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
}
