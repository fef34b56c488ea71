package blocking

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestModelsParse(t *testing.T) {
	ls, err := parseModels(modelsText)
	if err != nil {
		t.Fatal(err)
	}
	if ls.n < 100 {
		t.Fatalf("models.txt has %d entries; the shipped models were lost", ls.n)
	}
	if _, err := parseModels("time.Sleep\n\n# comment\n(*gorm.io/gorm.DB).Fi*nd\n"); err == nil || !strings.Contains(err.Error(), "models.txt:4") {
		t.Fatalf("a malformed line 4 gave %v, want an error naming models.txt:4", err)
	}
}

// TestModelsHaveFixtures holds the rule that a model comes with a fixture:
// every library package models.txt names has a stand-in under
// testdata/src, and the models fixture imports it.
func TestModelsHaveFixtures(t *testing.T) {
	src := filepath.Join("..", "..", "..", "testdata", "src")
	fixture, err := os.ReadFile(filepath.Join(src, "models", "models.go"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range models.byPath {
		if strings.Contains(strings.Split(p, "/")[0], ".") { // not the standard library
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	if len(paths) < 10 {
		t.Fatalf("only %d library packages in models.txt: %v", len(paths), paths)
	}
	for _, p := range paths {
		if fi, err := os.Stat(filepath.Join(src, filepath.FromSlash(p))); err != nil || !fi.IsDir() {
			t.Errorf("models.txt names %s but testdata/src has no stand-in package for it", p)
		}
		if !strings.Contains(string(fixture), strconv.Quote(p)) {
			t.Errorf("models.txt names %s but testdata/src/models does not import it", p)
		}
	}
}
