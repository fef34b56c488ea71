package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The analyzer must never crash and never report on code that has no session
// in it: it runs as go vet's tool over the standard library and over all of
// golang.org/x/tools (with their tests), and must exit 0 in silence.

func TestNoCrashStd(t *testing.T) {
	bin := sessionlockBin(t)
	checkSilent(t, run(t, t.TempDir(), nil, "go", "vet", "-vettool="+bin, "std"), "std")
}

func TestNoCrashXTools(t *testing.T) {
	bin := sessionlockBin(t)
	dir := xtoolsCopy(t)
	checkSilent(t, run(t, dir, nil, "go", "vet", "-vettool="+bin, "./..."), "golang.org/x/tools/...")
}

func checkSilent(t *testing.T, res result, what string) {
	t.Helper()
	out := res.stdout + res.stderr
	if strings.Contains(out, "panic") || res.code != 0 {
		t.Fatalf("go vet -vettool=sessionlock %s: exit %d\n%s", what, res.code, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if textLineRE.MatchString(strings.TrimSpace(l)) {
			t.Errorf("finding on code without sessions: %s", l)
		}
	}
}

// xtoolsCopy copies golang.org/x/tools at the version this module requires
// from the module cache (downloading it if needed) into a writable temporary
// directory, so that go vet can treat it as the main module.
func xtoolsCopy(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	res := run(t, root, nil, "go", "mod", "download", "-json", "golang.org/x/tools")
	i := strings.Index(res.stdout, `"Dir": "`)
	if res.code != 0 || i < 0 {
		t.Fatalf("go mod download golang.org/x/tools: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	src := res.stdout[i+len(`"Dir": "`):]
	src = src[:strings.Index(src, `"`)]
	dst := filepath.Join(t.TempDir(), "tools")
	copyTree(t, src, dst)
	if r := run(t, dst, nil, "go", "mod", "download"); r.code != 0 {
		t.Fatalf("go mod download in the x/tools copy: %s", r.stderr)
	}
	return dst
}
