package analyzer_test

import (
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer"
)

func TestNewRejectsMalformedLong(t *testing.T) {
	for _, bad := range []string{
		"Sleep", "time.", ".Sleep", "(*time.Timer", "(*Timer).Stop", "(*time.Timer).",
		"time.Sleep extra", "(*time.Timer).Stop.x", "pkg/.F", "time.(Sleep)",
	} {
		_, err := analyzer.New(analyzer.Config{Long: []string{bad}})
		if err == nil {
			t.Errorf("New(Long: %q) = nil error, want one naming the entry", bad)
			continue
		}
		if !strings.Contains(err.Error(), bad) {
			t.Errorf("New(Long: %q) error %q does not name the entry", bad, err)
		}
	}
}

func TestNewAcceptsLongForms(t *testing.T) {
	a, err := analyzer.New(analyzer.Config{Long: []string{
		"example.com/app/billing.Charge", "(*example.com/app/db.Pool).Exec", "(example.com/x.T).M", "time.Sleep",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if a == analyzer.Analyzer || a.Name != "sessionlock" {
		t.Fatalf("New returned %p named %q, want a fresh analyzer named sessionlock", a, a.Name)
	}
	if f := a.Flags.Lookup("long"); f == nil || !strings.Contains(f.Value.String(), "(*example.com/app/db.Pool).Exec") {
		t.Fatalf("long flag = %v, want it to hold the configured names", f)
	}
}

func TestFlagRejectsMalformed(t *testing.T) {
	a, err := analyzer.New(analyzer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("long", "ok.F,bad"); err == nil || !strings.Contains(err.Error(), `"bad"`) {
		t.Fatalf("Flags.Set(long, ok.F,bad) = %v, want an error naming \"bad\"", err)
	}
}

func TestDocAndCategories(t *testing.T) {
	a := analyzer.Analyzer
	if !strings.HasPrefix(a.Doc, "sessionlock:") {
		t.Errorf("Doc does not start with the one-line summary: %q", a.Doc)
	}
	for _, c := range []string{analyzer.CategoryLongCall, analyzer.CategoryWriteAfterRelease, analyzer.CategoryWriteWithoutLock, analyzer.CategoryWriteInGoroutine} {
		if !strings.Contains(a.Doc, c) {
			t.Errorf("Doc does not document category %q", c)
		}
	}
}
