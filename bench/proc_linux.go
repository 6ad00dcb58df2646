package main

import "syscall"

// childAttrs kills a child when the bench dies, so no server or worker outlives a crashed run.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
