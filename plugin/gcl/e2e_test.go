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
	"sort"
	"strings"
	"sync"
	"testing"
)

// End-to-end test of the golangci-lint module plugin: this very program is
// built (minutes on a cold cache, once per test process), run on the
// end-to-end fixture module with the plugin enabled, and its findings are
// compared with those of the standalone sessionlock binary on the same code.

var (
	buildOnce sync.Once
	binDir    string
	gclBin    string
	slBin     string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binaries builds this golangci-lint and cmd/sessionlock.
func binaries(t *testing.T) (gcl, sessionlock string) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: builds golangci-lint with the plugin; run without -short (make test)")
	}
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "sessionlock-gcl-e2e-"); buildErr != nil {
			return
		}
		gclBin = filepath.Join(binDir, "custom-gcl")
		slBin = filepath.Join(binDir, "sessionlock")
		if out, err := exec.Command("go", "build", "-o", gclBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build plugin/gcl: %v\n%s", err, out)
			return
		}
		cmd := exec.Command("go", "build", "-o", slBin, "./cmd/sessionlock")
		cmd.Dir = repoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/sessionlock: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return gclBin, slBin
}

func repoRoot() string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return root
}

// extraLong is the "long" setting of the test config, also passed to the
// standalone binary as -long: the settings must act like the flag.
const extraLong = "example.com/app/rates.Convert"

func golangciYAML(settings string) string {
	return `version: "2"
linters:
  default: none
  enable: [sessionlock]
  settings:
    custom:
      sessionlock:
        type: module
        description: session lock checks
        settings:
` + settings + `
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
`
}

// TestPluginMatchesStandalone checks that golangci-lint with the plugin
// reports exactly what the standalone binary reports (file, line, message,
// which fixes the category), including the finding that needs a fact from
// another package, except the line carrying //nolint:sessionlock.
func TestPluginMatchesStandalone(t *testing.T) {
	gcl, sl := binaries(t)
	dir := fixtureCopy(t, golangciYAML(`          long: ["`+extraLong+`"]`))

	res := run(t, dir, gcl, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
	if res.code != 1 {
		t.Fatalf("custom-gcl run: exit %d, want 1 (issues found)\n%s%s", res.code, res.stdout, res.stderr)
	}
	var out struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename string
				Line     int
			}
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("custom-gcl JSON: %v\n%s", err, res.stdout)
	}
	var got []string
	for _, is := range out.Issues {
		if is.FromLinter != "sessionlock" {
			t.Errorf("issue from linter %q: only sessionlock is enabled", is.FromLinter)
		}
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.ToSlash(is.Pos.Filename), is.Pos.Line, is.Text))
	}
	sort.Strings(got)

	std := run(t, dir, sl, "-json", "-long="+extraLong, "./...")
	if std.code != 0 {
		t.Fatalf("sessionlock -json: exit %d\n%s", std.code, std.stderr)
	}
	want, suppressed := standalone(t, dir, std.stdout)
	if suppressed == 0 {
		t.Fatal("the standalone binary reported nothing on the //nolint:sessionlock line; the suppression check would prove nothing")
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("golangci-lint issues:\n%s\nstandalone findings (without //nolint lines):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	crossPackage, convert := false, false
	for _, k := range got {
		crossPackage = crossPackage || strings.Contains(k, "net/http.Get")
		convert = convert || strings.Contains(k, "rates.Convert")
	}
	if !crossPackage || !convert {
		t.Fatalf("want the finding through rates.Fetch (a fact from package rates) and the one from the long setting; got:\n%s", strings.Join(got, "\n"))
	}
}

// TestPluginUnknownSetting checks that a misspelt key stops golangci-lint
// with an error naming the key, rather than silently dropping the setting.
func TestPluginUnknownSetting(t *testing.T) {
	gcl, _ := binaries(t)
	dir := fixtureCopy(t, golangciYAML(`          longg: ["`+extraLong+`"]`))
	res := run(t, dir, gcl, "run", "./...")
	if res.code == 0 || res.code == 1 || !strings.Contains(res.stdout+res.stderr, `"longg"`) {
		t.Fatalf("custom-gcl run with settings key longg: exit %d, want a configuration error naming \"longg\"\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// TestPluginBadLongName checks that a malformed function name in the long
// setting is rejected with the name in the message.
func TestPluginBadLongName(t *testing.T) {
	gcl, _ := binaries(t)
	dir := fixtureCopy(t, golangciYAML(`          long: ["not a name"]`))
	res := run(t, dir, gcl, "run", "./...")
	if res.code == 0 || res.code == 1 || !strings.Contains(res.stdout+res.stderr, "not a name") {
		t.Fatalf("custom-gcl run with long: [\"not a name\"]: exit %d, want an error naming it\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// standalone turns `sessionlock -json` output into "file:line message" keys,
// leaving out the findings on lines with //nolint:sessionlock (counted).
func standalone(t *testing.T, dir, out string) (keys []string, suppressed int) {
	t.Helper()
	var tree map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("sessionlock -json: %v\n%s", err, out)
	}
	realDir, _ := filepath.EvalSymlinks(dir)
	for _, byAnalyzer := range tree {
		for _, d := range byAnalyzer["sessionlock"] {
			parts := strings.Split(d.Posn, ":") // file:line:col
			file, line := strings.Join(parts[:len(parts)-2], ":"), parts[len(parts)-2]
			realFile, _ := filepath.EvalSymlinks(file)
			rel, _ := filepath.Rel(realDir, realFile)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			fmt.Sscan(line, &n)
			if strings.Contains(strings.Split(string(src), "\n")[n-1], "//nolint:sessionlock") {
				suppressed++
				continue
			}
			keys = append(keys, fmt.Sprintf("%s:%s %s", filepath.ToSlash(rel), line, d.Message))
		}
	}
	sort.Strings(keys)
	return keys, suppressed
}

// fixtureCopy copies testdata/e2e/app into a temporary directory, points
// its replace directive at this checkout and adds .golangci.yml.
func fixtureCopy(t *testing.T, golangci string) string {
	t.Helper()
	src := filepath.Join(repoRoot(), "testdata", "e2e", "app")
	dst := t.TempDir()
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
	if r := run(t, dst, "go", "mod", "edit", "-replace=github.com/sessionlock/sessionlock="+repoRoot()); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dst, ".golangci.yml"), []byte(golangci), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs a command in dir. golangci-lint gets a fresh cache every time: it
// caches results per package, not per plugin build or settings.
func run(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}
