package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// slots is the number of hash slots of a Redis Cluster.
const slots = 16384

// A Cluster is a Redis Cluster of masters (no replicas) on 127.0.0.1,
// each its own redis-server process.
type Cluster struct {
	// Addrs are the masters' host:port, the seeds for a ClusterClient.
	Addrs []string

	nodes []*Server
	buses []int // each node's cluster bus port
}

// StartCluster runs a Redis Cluster of n masters for tb, on free loopback
// ports (each node's cluster bus port too), with the hash slots split
// evenly between them, and returns once every node reports the cluster ok.
// It stops every node in tb.Cleanup.
func StartCluster(tb testing.TB, n int) *Cluster {
	tb.Helper()
	c, err := NewCluster(tb.TempDir(), n)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Stop() })
	return c
}

// NewCluster is StartCluster outside a test: node i keeps its files in
// dir/node-i. The caller must call Stop.
func NewCluster(dir string, n int) (*Cluster, error) {
	if n < 1 {
		return nil, fmt.Errorf("redistest: a cluster of %d nodes: want at least 1", n)
	}
	bin, err := lookPath()
	if err != nil {
		return nil, err
	}
	c := &Cluster{}
	for i := range n {
		ndir := filepath.Join(dir, "node-"+strconv.Itoa(i))
		if err := os.MkdirAll(ndir, 0o700); err != nil {
			_ = c.Stop()
			return nil, fmt.Errorf("redistest: %w", err)
		}
		s, bus, err := startNode(bin, ndir)
		if err != nil {
			_ = c.Stop()
			return nil, err
		}
		c.nodes = append(c.nodes, s)
		c.buses = append(c.buses, bus)
		c.Addrs = append(c.Addrs, s.Addr)
	}
	if err := c.form(); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// startNode runs one cluster-enabled node. The bus port is chosen free
// too: the default (port + 10000) may be taken or beyond 65535.
func startNode(bin, dir string) (*Server, int, error) {
	var err error
	for range 3 {
		var s *Server
		var bus int
		if s, bus, err = tryNode(bin, dir); err == nil {
			return s, bus, nil
		}
	}
	return nil, 0, err
}

// tryNode is one attempt of startNode; a port found free may be taken
// again before redis-server binds it.
func tryNode(bin, dir string) (*Server, int, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	bus, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	if bus == port {
		return nil, 0, fmt.Errorf("redistest: the same free port %d for a node and its cluster bus", port)
	}
	s, err := startOn(bin, dir, port, []string{
		"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
		"--cluster-port", strconv.Itoa(bus), "--cluster-node-timeout", "5000"})
	if err != nil {
		return nil, 0, err
	}
	return s, bus, nil
}

// form gives each node its share of the slots, introduces the nodes to
// each other and waits until all of them see a healthy cluster.
func (c *Cluster) form() error {
	n := len(c.nodes)
	for i, s := range c.nodes {
		lo, hi := i*slots/n, (i+1)*slots/n-1
		if _, err := command(s.Addr, "CLUSTER", "ADDSLOTSRANGE", strconv.Itoa(lo), strconv.Itoa(hi)); err != nil {
			return fmt.Errorf("redistest: assign slots %d-%d to %s: %w", lo, hi, s.Addr, err)
		}
	}
	for _, s := range c.nodes[1:] {
		host, port, _ := net.SplitHostPort(c.nodes[0].Addr)
		if _, err := command(s.Addr, "CLUSTER", "MEET", host, port, strconv.Itoa(c.buses[0])); err != nil {
			return fmt.Errorf("redistest: %s meets %s: %w", s.Addr, c.nodes[0].Addr, err)
		}
	}
	deadline := time.Now().Add(startTimeout)
	for {
		ok, last := true, ""
		for _, s := range c.nodes {
			info, err := command(s.Addr, "CLUSTER", "INFO")
			if err != nil || !strings.Contains(info, "cluster_state:ok") ||
				!strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(n)+"\r\n") {
				ok, last = false, s.Addr+": "+info
				if err != nil {
					last = s.Addr + ": " + err.Error()
				}
				break
			}
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redistest: the cluster did not form within %v; last CLUSTER INFO from %s", startTimeout, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills every node (see Server.Stop).
func (c *Cluster) Stop() error {
	var errs []error
	for _, s := range c.nodes {
		errs = append(errs, s.Stop())
	}
	return errors.Join(errs...)
}

// command sends one command to addr and returns its reply: a simple or
// bulk string, or an integer in decimal; an error reply becomes an error.
func command(addr string, args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := conn.Write([]byte(b.String())); err != nil {
		return "", err
	}
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return "", errors.New("redistest: empty reply")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", errors.New(line[1:])
	case '$':
		size, err := strconv.Atoi(line[1:])
		if err != nil || size < 0 {
			return "", fmt.Errorf("redistest: bad bulk reply %q", line)
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		return string(buf[:size]), nil
	}
	return "", fmt.Errorf("redistest: unexpected reply %q", line)
}
