package redistest_test

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
)

// send runs one inline command and returns the first reply line.
func send(addr, cmd string) (string, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	fmt.Fprintf(c, "%s\r\n", cmd)
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

func TestStopRestartKeepsAddressAndPersistence(t *testing.T) {
	s := redistest.Start(t, "--appendonly", "yes", "--appendfsync", "always")
	if r, err := send(s.Addr, "SET k v"); err != nil || r != "+OK" {
		t.Fatalf("SET = %q, %v", r, err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := send(s.Addr, "PING"); err == nil {
		t.Fatal("server still answers after Stop")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if r, err := send(s.Addr, "GET k"); err != nil || r != "$1" {
		t.Fatalf("GET after restart = %q, %v; want the value kept by the append-only file", r, err)
	}
	if err := s.Restart(); err == nil {
		t.Fatal("Restart of a running server succeeded")
	}
}

// Starting a server outside a test, e.g. in TestMain for benchmarks.
func ExampleNew() {
	dir, err := os.MkdirTemp("", "redis")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	srv, err := redistest.New(dir)
	if err != nil {
		log.Fatal(err) // says how to install redis-server when it is missing
	}
	defer srv.Stop()
	fmt.Println(send(srv.Addr, "PING"))
	// Output: +PONG <nil>
}
