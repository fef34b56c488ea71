package analyzer

import "testing"

func TestRepoRoot(t *testing.T) {
	for path, want := range map[string]string{
		"github.com/acme/app/handlers": "github.com/acme/app",
		"github.com/acme/app":          "github.com/acme/app",
		"wiring/handlers":              "wiring",
		"sessionlib":                   "sessionlib",
		"example.com/x":                "example.com",
	} {
		if got := repoRoot(path); got != want {
			t.Errorf("repoRoot(%q) = %q, want %q", path, got, want)
		}
	}
}
