//go:build linux

package main

import (
	"os"
	"os/signal"
	"strconv"
	"syscall"
)

// childSetup applies TIDINGS_TEST_FSIZE, a limit on the size of files the
// child may write: past it a write fails as on a full disk (EFBIG rather
// than ENOSPC, with SIGXFSZ ignored), which tests the handling of a write
// that fails without filling the test machine's disk.
func childSetup() {
	n, err := strconv.ParseUint(os.Getenv("TIDINGS_TEST_FSIZE"), 10, 64)
	if err != nil {
		return
	}
	signal.Ignore(syscall.SIGXFSZ)
	lim := syscall.Rlimit{Cur: n, Max: n}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		panic(err)
	}
}
