//go:build !linux

package main

import (
	"os"
	"syscall"
)

// dieWithParent: only Linux can tie a child's life to its parent's.
func dieWithParent() *syscall.SysProcAttr { return nil }

var terminate = os.Interrupt
