package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// startTimeout bounds how long a fresh server may take to answer PING.
const startTimeout = 10 * time.Second

// A Server is one redis-server process listening on 127.0.0.1.
type Server struct {
	// Addr is the server's host:port on 127.0.0.1.
	Addr string

	bin  string
	dir  string
	args []string

	mu   sync.Mutex
	cmd  *exec.Cmd     // nil while stopped
	done chan struct{} // closed once cmd has been reaped
}

// Start runs a redis-server for tb on a free loopback port with persistence
// off (unless args turn it on, e.g. "--appendonly", "yes") and stops it in
// tb.Cleanup. It fails tb, with what to install, when redis-server is
// missing.
func Start(tb testing.TB, args ...string) *Server {
	tb.Helper()
	s, err := New(tb.TempDir(), args...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Stop() })
	return s
}

// New runs a redis-server whose files live in dir (it must exist) and
// returns once it answers PING. Extra args are passed after the defaults, so
// they override them. The caller must call Stop; Start does that for tests.
func New(dir string, args ...string) (*Server, error) {
	bin, err := lookPath()
	if err != nil {
		return nil, err
	}
	// A free port found by listening on :0 may be taken again before
	// redis-server binds it; a few attempts make that race harmless.
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := startOn(bin, dir, port, args)
		if err == nil {
			return s, nil
		}
		if attempt == 2 {
			return nil, err
		}
	}
}

// startOn runs redis-server on 127.0.0.1:port.
func startOn(bin, dir string, port int, args []string) (*Server, error) {
	s := &Server{bin: bin, dir: dir, args: args, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// lookPath finds redis-server, or explains how to get it.
func lookPath() (string, error) {
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/bin/redis-server", "/usr/local/bin/redis-server"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("redistest: redis-server not found in PATH: " +
		"run `make test` (it installs it) or `apt-get install redis-server`")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start launches the process on s.Addr and waits for PING.
func (s *Server) start() error {
	_, port, _ := net.SplitHostPort(s.Addr)
	argv := append([]string{
		"--port", port, "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no",
		"--dir", s.dir, "--logfile", "redis.log",
	}, s.args...)
	cmd := exec.Command(s.bin, argv...)
	cmd.Dir = s.dir
	// Its own process group, so Stop also ends any child it forked
	// (BGSAVE, AOF rewrite).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: start %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()

	deadline := time.Now().Add(startTimeout)
	for {
		if err := ping(s.Addr); err == nil {
			s.mu.Lock()
			s.cmd, s.done = cmd, done
			s.mu.Unlock()
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("redistest: redis-server on %s exited at start (%v); log:\n%s", s.Addr, cmd.ProcessState, s.log())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
			return fmt.Errorf("redistest: redis-server on %s did not answer PING within %v; log:\n%s", s.Addr, startTimeout, s.log())
		}
	}
}

// ping sends one inline PING and expects +PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("redistest: PING answered %q", strings.TrimSpace(line))
	}
	return nil
}

func (s *Server) log() string {
	b, err := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Stop kills the server's process group at once, as a crash or a power cut
// would, and waits until it is gone. Data survives only what the server's
// persistence args saved. Stop on a stopped server does nothing.
func (s *Server) Stop() error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd, s.done = nil, nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-done
	if err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("redistest: kill redis-server on %s: %w", s.Addr, err)
	}
	return nil
}

// Restart starts the server again on the same address and directory after
// Stop, so clients configured with Addr reconnect to it.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.cmd != nil
	s.mu.Unlock()
	if running {
		return fmt.Errorf("redistest: Restart of %s while it runs: call Stop first", s.Addr)
	}
	return s.start()
}

// Pause freezes the server with SIGSTOP, as a stalled host, a swapped-out
// process or a long fork would: connections stay open and commands are
// accepted by the kernel, but nothing is answered until Resume. Stop works
// on a paused server.
func (s *Server) Pause() error { return s.signal(syscall.SIGSTOP, "pause") }

// Resume lets a paused server run again (SIGCONT); it answers what was
// sent meanwhile.
func (s *Server) Resume() error { return s.signal(syscall.SIGCONT, "resume") }

func (s *Server) signal(sig syscall.Signal, op string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return fmt.Errorf("redistest: %s %s: the server is stopped", op, s.Addr)
	}
	if err := syscall.Kill(-s.cmd.Process.Pid, sig); err != nil {
		return fmt.Errorf("redistest: %s redis-server on %s: %w", op, s.Addr, err)
	}
	return nil
}
