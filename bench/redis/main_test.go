package redisbench

import (
	"fmt"
	"os"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
)

// redisAddr is the benchmarks' redis-server, started by TestMain.
var redisAddr string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bench-redis-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	srv, err := redistest.New(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	redisAddr = srv.Addr
	code := m.Run()
	_ = srv.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}
