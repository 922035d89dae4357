package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// startPerf records the CPU profile of process pid with perf, sampling
// call graphs (Go binaries keep frame pointers).
func startPerf(out string, pid int) (*exec.Cmd, error) {
	path, err := exec.LookPath("perf")
	if err != nil {
		return nil, fmt.Errorf("-perf: %w", err)
	}
	cmd := exec.Command(path, "record", "-F", "999", "-g", "-o", out, "-p", strconv.Itoa(pid))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("-perf: %w", err)
	}
	time.Sleep(500 * time.Millisecond) // let it attach
	fmt.Printf("perf: recording gatehouse (pid %d) into %s\n", pid, out)
	return cmd, nil
}

// stopPerf stops the recording and says how to read it.
func stopPerf(cmd *exec.Cmd, out string) {
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	fmt.Printf("perf: profile in %s; read it with: perf report -i %s --no-children --sort symbol\n", out, out)
}
