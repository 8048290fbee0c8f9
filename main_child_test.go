//go:build !linux

package main

// childSetup has nothing to set up where the file-size limit tests do not
// run.
func childSetup() {}
