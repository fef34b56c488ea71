package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommit installs the hook of .pre-commit-hooks.yaml with the real
// pre-commit in a throwaway git repository, and checks that committing the
// seed article's bug is refused with the finding shown, while the fixed code
// commits.
func TestPreCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: runs pre-commit and go install; run without -short (make test)")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatal("pre-commit is not installed: run `make test`, which installs it (apt-get install -y pre-commit)")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed (apt-get install -y git)")
	}
	root := repoRoot(t)
	hookRepo, rev := snapshotRepo(t, root)

	// pre-commit builds the hook with `go install` in an environment whose
	// GOPATH is its own; pointing GOMODCACHE at this machine's module cache
	// lets that work offline, from what the module cache already holds.
	env := []string{
		"PRE_COMMIT_HOME=" + t.TempDir(),
		"GOMODCACHE=" + goEnv(t, "GOMODCACHE"),
		"GOTOOLCHAIN=local",
	}
	app := t.TempDir()
	git(t, app, env, "init", "-q")
	git(t, app, env, "config", "user.name", "sessionlock test")
	git(t, app, env, "config", "user.email", "test@example.com")
	git(t, app, env, "config", "commit.gpgsign", "false")
	write(t, app, "go.mod", "module example.com/seedapp\n\ngo 1.26\n\nrequire github.com/sessionlock/sessionlock v0.0.0\n\nreplace github.com/sessionlock/sessionlock => "+root+"\n")
	write(t, app, ".pre-commit-config.yaml", "repos:\n  - repo: "+hookRepo+"\n    rev: "+rev+"\n    hooks:\n      - id: sessionlock\n")
	write(t, app, "main.go", seedApp(`	time.Sleep(20 * time.Second) // the seed bug: the lock is held
`))
	if r := run(t, app, env, "go", "mod", "tidy"); r.code != 0 {
		t.Fatalf("go mod tidy in the throwaway app: %s", r.stderr)
	}
	if r := run(t, app, env, "pre-commit", "install"); r.code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	git(t, app, env, "add", ".")
	bad := run(t, app, env, "git", "commit", "-m", "page1 sleeps under the lock")
	out := bad.stdout + bad.stderr
	sleepLine := itoa(lineOf(t, app, "main.go", "time.Sleep("))
	if bad.code == 0 {
		t.Fatalf("commit with the seed bug was accepted:\n%s", out)
	}
	if !strings.Contains(out, "main.go:"+sleepLine+":") || !strings.Contains(out, "time.Sleep blocks while the session lock is held") {
		t.Fatalf("refused commit does not show the finding at main.go:%s:\n%s", sleepLine, out)
	}

	write(t, app, "main.go", seedApp(`	if err := session.FromContext(r.Context()).ReleaseLock(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	time.Sleep(20 * time.Second) // fixed: released first
`))
	git(t, app, env, "add", ".")
	good := run(t, app, env, "git", "commit", "-m", "release the lock before sleeping")
	if good.code != 0 || !strings.Contains(good.stdout+good.stderr, "Passed") {
		t.Fatalf("commit of the fixed code: exit %d\n%s%s", good.code, good.stdout, good.stderr)
	}
}

// seedApp is the seed article's app with page1's body given.
func seedApp(page1Body string) string {
	return `package main

import (
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

func page1(w http.ResponseWriter, r *http.Request) {
` + page1Body + `	fmt.Fprintln(w, "page1 done")
}

func main() {
	m := session.NewManager(nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/page1", page1)
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", m.Middleware(mux)))
}
`
}

// snapshotRepo copies this checkout's files (tracked and untracked, minus
// ignored ones) into a new git repository with one commit, because pre-commit
// clones hook repositories and checks out a revision: it has to see the code
// as it is now, committed or not. It returns the path and the commit.
func snapshotRepo(t *testing.T, root string) (dir, rev string) {
	t.Helper()
	ls := run(t, root, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if ls.code != 0 {
		t.Fatalf("git ls-files: %s", ls.stderr)
	}
	dir = t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(ls.stdout, "\x00"), "\x00") {
		b, err := os.ReadFile(filepath.Join(root, f))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, f, string(b))
	}
	git(t, dir, nil, "init", "-q")
	git(t, dir, nil, "add", ".")
	git(t, dir, nil, "-c", "user.name=sessionlock test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot")
	return dir, strings.TrimSpace(git(t, dir, nil, "rev-parse", "HEAD"))
}

func git(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	r := run(t, dir, env, "git", args...)
	if r.code != 0 {
		t.Fatalf("git %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	r := run(t, ".", nil, "go", "env", name)
	if r.code != 0 {
		t.Fatalf("go env %s: %s", name, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
