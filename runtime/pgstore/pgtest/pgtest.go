package pgtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// A Server is one PostgreSQL server listening on 127.0.0.1.
type Server struct {
	// DSN connects to the server's postgres database as the postgres
	// superuser, e.g. for pgxpool.New.
	DSN string
	// Port is the server's TCP port on 127.0.0.1.
	Port int

	bin  string // directory of the server binaries
	dir  string // the server's private directory: data/, the socket, the log
	args []string
	uid  int // the server's user, when the caller is root; -1 otherwise
	gid  int
}

// Start runs a server for tb (see New) and removes it in tb.Cleanup. It
// fails tb, saying what to install, when PostgreSQL is missing.
func Start(tb testing.TB, settings ...string) *Server {
	tb.Helper()
	s, err := New(settings...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// New creates a database cluster in a new temporary directory and starts a
// server on a free loopback port, returning once it accepts connections.
// settings are extra "name=value" server settings (postgres -c), applied
// after the package's own (fsync and full_page_writes
// off: a test server need not survive a power cut, only a crash of its own). The caller must call
// Close.
func New(settings ...string) (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{bin: bin, dir: dir, uid: -1, gid: -1,
		args: append([]string{"fsync=off", "full_page_writes=off"}, settings...)}
	if err := s.own(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if out, err := s.run("initdb", "-D", s.data(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	// A free port found by listening on :0 may be taken again before the
	// server binds it; a few attempts make that race harmless.
	for attempt := 0; ; attempt++ {
		if s.Port, err = freePort(); err == nil {
			if err = s.Restart(); err == nil {
				break
			}
		}
		if attempt == 2 {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port)
	return s, nil
}

// binDir finds the directory of initdb and pg_ctl, or explains how to get
// them.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("pgtest: PostgreSQL's pg_ctl not found in /usr/lib/postgresql/*/bin or PATH: " +
		"run `make deps` (it installs it) or `apt-get install postgresql`")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// own makes s.dir the server user's: initdb refuses to run as root, so a
// root caller runs the server as postgres.
func (s *Server) own() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("pgtest: running as root, the server must run as the postgres user, which is missing (%v): apt-get install postgresql creates it", err)
	}
	s.uid, _ = strconv.Atoi(u.Uid)
	s.gid, _ = strconv.Atoi(u.Gid)
	if err := os.Chown(s.dir, s.uid, s.gid); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// run runs one of the server's programs, as the server's user.
func (s *Server) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, prog)
	var cmd *exec.Cmd
	if s.uid >= 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Stop stops the server at once (pg_ctl stop -m immediate), as a crash
// would: connections are cut, and what was committed is recovered from
// the WAL on Restart. Stop on a stopped server does nothing.
func (s *Server) Stop() error {
	if _, err := os.Stat(filepath.Join(s.data(), "postmaster.pid")); err != nil {
		return nil
	}
	if out, err := s.run("pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop"); err != nil {
		return fmt.Errorf("pgtest: pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

// Restart starts the server (again, after Stop) on the same port and
// data, and returns once it accepts connections.
func (s *Server) Restart() error {
	opts := []string{"-p", strconv.Itoa(s.Port), "-c", "listen_addresses=127.0.0.1", "-k", s.dir}
	for _, a := range s.args {
		opts = append(opts, "-c", a)
	}
	out, err := s.run("pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "server.log"), "-w", "-t", "30",
		"-o", strings.Join(opts, " "), "start")
	if err != nil {
		return fmt.Errorf("pgtest: pg_ctl start on port %d: %v\n%s\nlog:\n%s", s.Port, err, out, s.log())
	}
	return nil
}

func (s *Server) log() string {
	b, err := os.ReadFile(filepath.Join(s.dir, "server.log"))
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Close stops the server and removes its directory.
func (s *Server) Close() error {
	err := s.Stop()
	if rerr := os.RemoveAll(s.dir); err == nil {
		err = rerr
	}
	return err
}

// PIDs returns the process IDs of the server: the postmaster and every
// process it forked (backends, background workers), e.g. to read their
// CPU time in /proc.
func (s *Server) PIDs() ([]int, error) {
	b, err := os.ReadFile(filepath.Join(s.data(), "postmaster.pid"))
	if err != nil {
		return nil, fmt.Errorf("pgtest: the server is not running: %w", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pm, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return nil, fmt.Errorf("pgtest: postmaster.pid: %w", err)
	}
	pids := []int{pm}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The fields after the command's closing parenthesis: state, ppid.
		i := strings.LastIndexByte(string(stat), ')')
		f := strings.Fields(string(stat[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pm) {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
