package analyzer

import (
	"go/ast"
	"testing"
)

// TestDirectiveRoles checks that every directive internal/directive reads
// becomes the role of the same name in facts.
func TestDirectiveRoles(t *testing.T) {
	for text, want := range map[string]string{
		"//sessionlock:source":         "source",
		"//sessionlock:acquire":        "acquire",
		"//sessionlock:release":        "release",
		"//sessionlock:write":          "write",
		"//sessionlock:long":           "long",
		"//sessionlock:serve held":     "serve=held",
		"//sessionlock:serve explicit": "serve=explicit",
		"//sessionlock:serve readonly": "serve=readonly",
	} {
		doc := &ast.CommentGroup{List: []*ast.Comment{{Text: text}}}
		if got := parseDirectives(doc).String(); got != want {
			t.Errorf("parseDirectives(%s) = %q, want %q", text, got, want)
		}
	}
	all := &ast.CommentGroup{}
	for _, d := range []string{"source", "acquire", "release", "write", "long", "serve held", "serve explicit", "serve readonly"} {
		all.List = append(all.List, &ast.Comment{Text: "//sessionlock:" + d})
	}
	if got, want := parseDirectives(all), roleSource|roleAcquire|roleRelease|roleWrite|roleLong|roleServe; got != want {
		t.Errorf("parseDirectives(every directive) = %s, want %s", got, want)
	}
}

func TestDirectiveServed(t *testing.T) {
	for text, want := range map[string]mode{
		"//sessionlock:served held":     modeHeld,
		"//sessionlock:served explicit": modeExplicit,
		"//sessionlock:served readonly": modeReadOnly,
		"//sessionlock:serve held":      0,
	} {
		doc := &ast.CommentGroup{List: []*ast.Comment{{Text: text}}}
		if got := parseServed(doc); got != want {
			t.Errorf("parseServed(%s) = %d, want %d", text, got, want)
		}
	}
}
