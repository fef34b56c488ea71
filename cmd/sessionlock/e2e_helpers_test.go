package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The end-to-end tests build the real binary once per test process and run
// it the ways users do. They are skipped only under -short.

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// sessionlockBin returns the path of a freshly built cmd/sessionlock.
func sessionlockBin(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: builds and runs the binary; run without -short (make test)")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "sessionlock-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "sessionlock")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/sessionlock: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// repoRoot is the root of this checkout (the main module).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// fixtureDir is the end-to-end fixture module, used in place by tests that
// only read it.
func fixtureDir(t *testing.T) string {
	return filepath.Join(repoRoot(t), "testdata", "e2e", "app")
}

// copyFixture copies the fixture module to a temporary directory and points
// its replace directive at this checkout, for tests that modify files.
func copyFixture(t *testing.T) string {
	t.Helper()
	src := fixtureDir(t)
	dst := t.TempDir()
	copyTree(t, src, dst)
	run(t, dst, nil, "go", "mod", "edit", "-replace=github.com/sessionlock/sessionlock="+repoRoot(t))
	return dst
}

// result is one finished command.
type result struct {
	code           int
	stdout, stderr string
}

// run runs a command in dir with extra environment and returns its result;
// only a failure to start it is fatal.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}

// finding is one diagnostic, keyed by module-relative file and line.
type finding struct {
	File     string // slash-separated, relative to the module root
	Line     int
	Category string
	Message  string
	Fixes    int // number of suggested fixes
}

func (f finding) key() string { return fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Category) }

var markerRE = regexp.MustCompile(`// finding: ([a-z-]+)`)

// expectedFindings reads the "// finding: CATEGORY" markers of the Go files
// under dir: the fixture states its own expectations next to the code.
func expectedFindings(t *testing.T, dir string) []string {
	t.Helper()
	var keys []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for i, line := range strings.Split(string(b), "\n") {
			if m := markerRE.FindStringSubmatch(line); m != nil {
				keys = append(keys, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), i+1, m[1]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	return keys
}

// jsonDiag is the part of the analysis JSON output the tests look at.
type jsonDiag struct {
	Category       string            `json:"category"`
	Posn           string            `json:"posn"`
	Message        string            `json:"message"`
	SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
}

// parseJSON decodes the -json tree ({package: {analyzer: [diagnostics] or
// {"error": ...}}}) into findings relative to dir. An analyzer error entry is
// fatal: it means the tool failed on that package.
func parseJSON(t *testing.T, dir, out string) []finding {
	t.Helper()
	var tree map[string]map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(out))
	var fs []finding
	for dec.More() { // go vet -json prints one tree per package
		tree = nil
		if err := dec.Decode(&tree); err != nil {
			t.Fatalf("bad JSON output: %v\n%s", err, out)
		}
		for pkg, byAnalyzer := range tree {
			for name, raw := range byAnalyzer {
				var diags []jsonDiag
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("%s: analyzer %s failed: %s", pkg, name, raw)
				}
				for _, d := range diags {
					fs = append(fs, toFinding(t, dir, d))
				}
			}
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].key() < fs[j].key() })
	return fs
}

func toFinding(t *testing.T, dir string, d jsonDiag) finding {
	t.Helper()
	file, line := splitPosn(t, d.Posn)
	return finding{File: relTo(t, dir, file), Line: line, Category: d.Category, Message: d.Message, Fixes: len(d.SuggestedFixes)}
}

// splitPosn splits "file.go:line:col" (or "file.go:line").
func splitPosn(t *testing.T, posn string) (string, int) {
	t.Helper()
	parts := strings.Split(posn, ":")
	if len(parts) >= 3 {
		if _, err := strconv.Atoi(parts[len(parts)-1]); err == nil {
			parts = parts[:len(parts)-1]
		}
	}
	line, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		t.Fatalf("bad position %q", posn)
	}
	return strings.Join(parts[:len(parts)-1], ":"), line
}

func relTo(t *testing.T, dir, file string) string {
	t.Helper()
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(filepath.Clean(file))
	}
	// Resolve symlinks on both sides: temp dirs may be reached through one.
	d, _ := filepath.EvalSymlinks(dir)
	f, _ := filepath.EvalSymlinks(file)
	rel, err := filepath.Rel(d, f)
	if err != nil || strings.HasPrefix(rel, "..") {
		t.Fatalf("finding in %s, outside the module %s", file, dir)
	}
	return filepath.ToSlash(rel)
}

func keys(fs []finding) []string {
	var ks []string
	for _, f := range fs {
		ks = append(ks, f.key())
	}
	sort.Strings(ks)
	return ks
}

// textLineRE matches a text diagnostic, "path/file.go:12:3: message", but
// not its related positions, whose message starts with a tab.
var textLineRE = regexp.MustCompile(`^(\S+\.go):(\d+):\d+: ([^\t].*)$`)

// parseText returns "file:line" of each text diagnostic in out, relative to dir.
func parseText(t *testing.T, dir, out string) []string {
	t.Helper()
	var locs []string
	for _, line := range strings.Split(out, "\n") {
		if m := textLineRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			file := m[1]
			if !filepath.IsAbs(file) {
				file = filepath.Join(dir, file)
			}
			locs = append(locs, relTo(t, dir, file)+":"+m[2])
		}
	}
	sort.Strings(locs)
	return locs
}

// locations drops the category from finding keys: text output has none.
func locations(ks []string) []string {
	var locs []string
	for _, k := range ks {
		locs = append(locs, strings.SplitN(k, " ", 2)[0])
	}
	sort.Strings(locs)
	return locs
}

func equal(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

// copyTree copies the files below src to dst, writable (module cache copies
// are read-only).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
