package main

import "syscall"

// dieWithParent makes the kernel kill a child when the chaos run itself dies, so no server or
// worker outlives an interrupted run.
func dieWithParent() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }

const terminate = syscall.SIGTERM
