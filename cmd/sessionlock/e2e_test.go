package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestStandaloneJSON runs `sessionlock -json ./...` on the fixture module and
// checks every finding against the fixture's "// finding:" markers: file,
// line, category, and the message's what/why/what-to-do.
func TestStandaloneJSON(t *testing.T) {
	bin := sessionlockBin(t)
	dir := fixtureDir(t)
	res := run(t, dir, nil, bin, "-json", "./...")
	if res.code != 0 {
		t.Fatalf("sessionlock -json: exit %d, want 0 (-json always exits 0)\n%s", res.code, res.stderr)
	}
	got := parseJSON(t, dir, res.stdout)
	if want := expectedFindings(t, dir); !equal(keys(got), want) {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(keys(got), "\n"), strings.Join(want, "\n"))
	}
	for _, f := range got {
		if f.File != "handlers/handlers.go" {
			// handlers_test.go: its one finding is in a handler only the
			// tests serve.
			wantIn(t, f, "time.Sleep", "session lock is held")
			continue
		}
		switch {
		case f.Line == lineOf(t, dir, f.File, "time.Sleep(20 * time.Second)"):
			wantIn(t, f, "time.Sleep", "session lock is held")
		case f.Line == lineOf(t, dir, f.File, "rates.Fetch("):
			// The trace crosses into package rates: learned from a fact.
			wantIn(t, f, "rates.Fetch", "net/http.Get", "ReleaseLock")
			if f.Fixes == 0 {
				t.Errorf("%s: no suggested fix; want one inserting s.ReleaseLock()", f.key())
			}
		case f.Category == "write-after-release":
			wantIn(t, f, "s.Set", "released", "AcquireLock")
		}
	}
}

// TestStandaloneText checks the text output and its exit code: 3 when there
// are findings, 0 when there are none.
func TestStandaloneText(t *testing.T) {
	bin := sessionlockBin(t)
	dir := fixtureDir(t)
	res := run(t, dir, nil, bin, "./...")
	if res.code != 3 {
		t.Fatalf("sessionlock ./...: exit %d, want 3 (findings)\n%s", res.code, res.stderr)
	}
	if got, want := parseText(t, dir, res.stderr), locations(expectedFindings(t, dir)); !equal(got, want) {
		t.Fatalf("text findings at:\n%s\nwant:\n%s\noutput:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), res.stderr)
	}

	clean := run(t, dir, nil, bin, "./rates")
	if clean.code != 0 || clean.stdout+clean.stderr != "" {
		t.Fatalf("sessionlock ./rates (no handlers): exit %d, output %q; want 0 and nothing", clean.code, clean.stdout+clean.stderr)
	}

	bad := run(t, dir, nil, bin, "./nosuchpkg")
	if bad.code != 1 {
		t.Fatalf("sessionlock ./nosuchpkg: exit %d, want 1 (load error)\n%s", bad.code, bad.stderr)
	}
}

// TestStandaloneFix applies the suggested fixes with -fix in a copy of the
// fixture: ReleaseLock lands before the blocking call, the code still
// compiles, and that finding is gone while the ones without a fix remain.
func TestStandaloneFix(t *testing.T) {
	bin := sessionlockBin(t)
	dir := copyFixture(t)
	oldSrc, before := beforeFix(t, dir)

	res := run(t, dir, nil, bin, "-fix", "./...")
	if res.code != 0 {
		t.Fatalf("sessionlock -fix: exit %d, want 0\n%s", res.code, res.stderr)
	}
	checkFixed(t, dir, oldSrc, before)
}

// TestStandaloneDiff checks that -fix -diff prints the fix as a unified diff
// and leaves the files alone.
func TestStandaloneDiff(t *testing.T) {
	bin := sessionlockBin(t)
	dir := copyFixture(t)
	orig := readFile(t, dir, "handlers/handlers.go")
	res := run(t, dir, nil, bin, "-fix", "-diff", "./...")
	if res.code != 0 {
		t.Fatalf("sessionlock -fix -diff: exit %d, want 0\n%s", res.code, res.stderr)
	}
	if !regexp.MustCompile(`(?m)^\+\s*if err := s\.ReleaseLock\(\); err != nil \{`).MatchString(res.stdout) || !strings.Contains(res.stdout, "handlers.go") {
		t.Fatalf("diff does not add a checked s.ReleaseLock() to handlers.go:\n%s", res.stdout)
	}
	if readFile(t, dir, "handlers/handlers.go") != orig {
		t.Fatal("-diff modified handlers.go")
	}
}

// TestGoVet runs the binary as go vet's tool. Since Go 1.26 go vet runs the
// tool with -json and prints the findings itself, exiting 1 when there are
// any.
func TestGoVet(t *testing.T) {
	bin := sessionlockBin(t)
	dir := fixtureDir(t)
	want := expectedFindings(t, dir)

	res := run(t, dir, nil, "go", "vet", "-vettool="+bin, "./...")
	if res.code != 1 {
		t.Fatalf("go vet -vettool: exit %d, want 1 (findings)\n%s", res.code, res.stderr)
	}
	if got := parseText(t, dir, res.stderr); !equal(got, locations(want)) {
		t.Fatalf("go vet findings at:\n%s\nwant:\n%s\noutput:\n%s", strings.Join(got, "\n"), strings.Join(locations(want), "\n"), res.stderr)
	}

	js := run(t, dir, nil, "go", "vet", "-json", "-vettool="+bin, "./...")
	if got := parseJSON(t, dir, js.stdout+js.stderr); !equal(keys(got), want) {
		t.Fatalf("go vet -json findings:\n%s\nwant:\n%s", strings.Join(keys(got), "\n"), strings.Join(want, "\n"))
	}

	clean := run(t, dir, nil, "go", "vet", "-vettool="+bin, "./rates")
	if clean.code != 0 {
		t.Fatalf("go vet -vettool ./rates (no handlers): exit %d, want 0\n%s", clean.code, clean.stderr)
	}
}

// TestGoVetLongFlag passes the analyzer's -long flag through go vet: the
// pure function rates.Convert then counts as blocking, in a handler of
// another package.
func TestGoVetLongFlag(t *testing.T) {
	bin := sessionlockBin(t)
	dir := fixtureDir(t)
	convert := "handlers/handlers.go:" + itoa(lineOf(t, dir, "handlers/handlers.go", "rates.Convert(")) + " long-call-under-lock"

	res := run(t, dir, nil, "go", "vet", "-json", "-vettool="+bin, "-long=example.com/app/rates.Convert", "./...")
	got := keys(parseJSON(t, dir, res.stdout+res.stderr))
	if !equal(got, sortedWith(expectedFindings(t, dir), convert)) {
		t.Fatalf("go vet -long=...: findings\n%s\nwant the fixture's plus %s\n%s", strings.Join(got, "\n"), convert, res.stderr)
	}

	bad := run(t, dir, nil, "go", "vet", "-vettool="+bin, "-long=not a name", "./...")
	if bad.code == 0 || !strings.Contains(bad.stderr, "not a name") {
		t.Fatalf("go vet -long='not a name': exit %d, want an error naming the value\n%s", bad.code, bad.stderr)
	}
}

// TestGoVetFix applies the fix through `go vet -fix`.
func TestGoVetFix(t *testing.T) {
	bin := sessionlockBin(t)
	dir := copyFixture(t)
	oldSrc, before := beforeFix(t, dir)

	res := run(t, dir, nil, "go", "vet", "-fix", "-vettool="+bin, "./...")
	if res.code != 0 {
		t.Fatalf("go vet -fix -vettool: exit %d, want 0\n%s", res.code, res.stderr)
	}
	checkFixed(t, dir, oldSrc, before)
}

// TestVetProtocol checks the two queries go vet makes of a tool: -V=full
// (its identity, for the build cache) and -flags (the flags it may pass on).
func TestVetProtocol(t *testing.T) {
	bin := sessionlockBin(t)
	v := run(t, ".", nil, bin, "-V=full")
	f := strings.Fields(v.stdout)
	if v.code != 0 || len(f) < 3 || f[1] != "version" || !strings.HasPrefix(f[len(f)-1], "buildID=") {
		t.Fatalf("-V=full: exit %d, output %q; want \"NAME version ... buildID=...\"", v.code, v.stdout)
	}

	fl := run(t, ".", nil, bin, "-flags")
	var flags []struct {
		Name  string
		Bool  bool
		Usage string
	}
	if err := json.Unmarshal([]byte(fl.stdout), &flags); err != nil || fl.code != 0 {
		t.Fatalf("-flags: exit %d, %v\n%s", fl.code, err, fl.stdout)
	}
	found := false
	for _, x := range flags {
		if x.Name == "long" {
			found = !x.Bool && x.Usage != ""
		}
	}
	if !found {
		t.Fatalf("-flags does not describe the string flag long:\n%s", fl.stdout)
	}
}

// checkFixed verifies a fixed copy of the fixture against the findings seen
// before the fix: the fixes only insert lines, each fixable finding now has a
// ReleaseLock() call on the line above it (s.ReleaseLock() before
// rates.Fetch), the module builds and passes plain go vet, and re-running
// reports exactly the findings that had no fix, at their shifted lines.
func checkFixed(t *testing.T, dir string, oldSrc string, before []finding) {
	t.Helper()
	const file = "handlers/handlers.go"
	newSrc := readFile(t, dir, file)
	oldLines, newLines := strings.Split(oldSrc, "\n"), strings.Split(newSrc, "\n")

	// Map old line numbers to new ones, knowing the fixes only insert lines.
	moved := map[int]int{}
	j := 0
	for i, l := range oldLines {
		for j < len(newLines) && newLines[j] != l {
			j++
		}
		if j == len(newLines) {
			t.Fatalf("the fix changed or removed line %d %q of %s:\n%s", i+1, l, file, newSrc)
		}
		moved[i+1] = j + 1
		j++
	}

	var want []string
	fixed := 0
	for _, f := range before {
		line := f.Line
		if f.File == file {
			line = moved[f.Line]
		}
		if f.Fixes == 0 {
			want = append(want, fmt.Sprintf("%s:%d %s", f.File, line, f.Category))
			continue
		}
		fixed++
		// The fix checks the release's error: "if err := ...ReleaseLock();
		// err != nil {", http.Error, return, "}", then the call.
		if f.File != file || line < 5 || !strings.Contains(newLines[line-5], "ReleaseLock(); err != nil {") {
			t.Errorf("%s: fix did not put a checked ReleaseLock() call in the four lines above", f.key())
		}
	}
	if fixed == 0 {
		t.Fatal("no finding had a fix; the fix test proves nothing")
	}
	fetch := lineOf(t, dir, file, "rates.Fetch(")
	if got := strings.TrimSpace(newLines[fetch-5]); got != "if err := s.ReleaseLock(); err != nil {" {
		t.Errorf("four lines before rates.Fetch is %q, want the checked s.ReleaseLock()", got)
	}

	if b := run(t, dir, nil, "go", "build", "./..."); b.code != 0 {
		t.Fatalf("fixed module does not build:\n%s\n%s", b.stderr, newSrc)
	}
	if v := run(t, dir, nil, "go", "vet", "./..."); v.code != 0 {
		t.Fatalf("fixed module fails plain go vet:\n%s", v.stderr)
	}
	after := run(t, dir, nil, sessionlockBin(t), "-json", "./...")
	if got := keys(parseJSON(t, dir, after.stdout)); !equal(got, sortedWith(want)) {
		t.Fatalf("after the fix, findings:\n%s\nwant (those without a fix):\n%s", strings.Join(got, "\n"), strings.Join(sortedWith(want), "\n"))
	}
}

// beforeFix records the fixture's source and findings (with their fixes)
// before a fix is applied.
func beforeFix(t *testing.T, dir string) (string, []finding) {
	t.Helper()
	res := run(t, dir, nil, sessionlockBin(t), "-json", "./...")
	before := parseJSON(t, dir, res.stdout)
	if !equal(keys(before), expectedFindings(t, dir)) {
		t.Fatalf("findings before the fix:\n%s\nwant:\n%s", strings.Join(keys(before), "\n"), strings.Join(expectedFindings(t, dir), "\n"))
	}
	return readFile(t, dir, "handlers/handlers.go"), before
}

// lineOf returns the 1-based line of the first line of file containing s.
func lineOf(t *testing.T, dir, file, s string) int {
	t.Helper()
	for i, l := range strings.Split(readFile(t, dir, file), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s: no line contains %q", file, s)
	return 0
}

func readFile(t *testing.T, dir, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantIn(t *testing.T, f finding, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(f.Message, s) {
			t.Errorf("%s: message %q lacks %q", f.key(), f.Message, s)
		}
	}
}
