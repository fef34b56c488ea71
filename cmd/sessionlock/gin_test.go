package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestGinExample runs the linter on examples/gin, the seed app on gin, in a
// copy: page1's sleep is reported where it is written (and nothing else),
// the suggested fix is applied, the app still builds, and the linter is
// then silent.
func TestGinExample(t *testing.T) {
	bin := sessionlockBin(t)
	root := repoRoot(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(root, "examples", "gin"), dir)
	for _, r := range []string{
		"github.com/sessionlock/sessionlock=" + root,
		"github.com/sessionlock/sessionlock/runtime/ginsession=" + filepath.Join(root, "runtime", "ginsession"),
	} {
		if res := run(t, dir, nil, "go", "mod", "edit", "-replace="+r); res.code != 0 {
			t.Fatalf("go mod edit -replace=%s: %s", r, res.stderr)
		}
	}
	src := readFile(t, dir, "main.go")
	line := sleepLine(t, src, "func page1(")
	want := fmt.Sprintf("main.go:%d:", line)

	res := run(t, dir, nil, bin, ".")
	out := strings.TrimSpace(res.stdout + res.stderr)
	if res.code != 3 || !strings.Contains(out, want) || !strings.Contains(out, "time.Sleep blocks while the session lock is held") {
		t.Fatalf("sessionlock .: exit %d, want 3 and page1's time.Sleep at %s\n%s", res.code, want, out)
	}
	if n := len(strings.Split(out, "\n")); n != 1 {
		t.Fatalf("sessionlock .: %d lines, want the one finding in page1\n%s", n, out)
	}

	if res := run(t, dir, nil, bin, "-fix", "."); res.code != 0 {
		t.Fatalf("sessionlock -fix .: exit %d, want 0\n%s", res.code, res.stderr)
	}
	fixed := readFile(t, dir, "main.go")
	if !strings.Contains(fixed, "if err := ginsession.From(c).ReleaseLock(); err != nil {") {
		t.Fatalf("the fix did not release through ginsession.From(c):\n%s", fixed)
	}
	if res := run(t, dir, nil, "go", "build", "./..."); res.code != 0 {
		t.Fatalf("go build after the fix: %s", res.stderr)
	}
	if res := run(t, dir, nil, bin, "."); res.code != 0 || res.stdout+res.stderr != "" {
		t.Fatalf("sessionlock . after the fix: exit %d, want 0 and nothing\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// sleepLine returns the line of the first time.Sleep after the line that
// starts with decl.
func sleepLine(t *testing.T, src, decl string) int {
	t.Helper()
	in := false
	for i, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, decl) {
			in = true
		}
		if in && strings.Contains(l, "time.Sleep(") {
			return i + 1
		}
	}
	t.Fatalf("no time.Sleep after %q", decl)
	return 0
}
