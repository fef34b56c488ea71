package directive

import (
	"go/ast"
	"testing"
)

func doc(lines ...string) *ast.CommentGroup {
	cg := &ast.CommentGroup{}
	for _, l := range lines {
		cg.List = append(cg.List, &ast.Comment{Text: l})
	}
	return cg
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		doc  *ast.CommentGroup
		want Role
	}{
		{nil, 0},
		{doc("// Get returns the session."), 0},
		{doc("//sessionlock:source"), Source},
		{doc("// Lock takes the lock.", "//sessionlock:acquire"), Acquire},
		{doc("//sessionlock:release", "//sessionlock:write"), Release | Write},
		{doc("//sessionlock:long extra words"), Long},
		{doc("//sessionlock:serve held"), ServeHeld},
		{doc("//sessionlock:serve explicit"), ServeExplicit},
		{doc("//sessionlock:serve readonly"), ServeReadOnly},
		{doc("//sessionlock:serve"), 0},                             // no mode
		{doc("//sessionlock:serve sometimes"), 0},                   // unknown mode
		{doc("//sessionlock:frobnicate", "//sessionlock:"), 0},      // unknown, empty
		{doc("// sessionlock:source", "/* sessionlock:long */"), 0}, // not directives
		{doc("//sessionlock:served held"), 0},                       // a handler's mode, not a role
	} {
		if got := Roles(tc.doc); got != tc.want {
			t.Errorf("Roles(%v) = %b, want %b", texts(tc.doc), got, tc.want)
		}
	}
}

func TestServed(t *testing.T) {
	for _, tc := range []struct {
		doc  *ast.CommentGroup
		want Mode
	}{
		{nil, 0},
		{doc("//sessionlock:served held"), Held},
		{doc("// Show renders a page.", "//sessionlock:served explicit"), Explicit},
		{doc("//sessionlock:served readonly"), ReadOnly},
		{doc("//sessionlock:served"), 0},
		{doc("//sessionlock:served sometimes", "//sessionlock:served readonly"), ReadOnly},
		{doc("//sessionlock:served held", "//sessionlock:served readonly"), Held},
		{doc("//sessionlock:serve held"), 0}, // a serving function's role
		{doc("// sessionlock:served held"), 0},
	} {
		if got := Served(tc.doc); got != tc.want {
			t.Errorf("Served(%v) = %d, want %d", texts(tc.doc), got, tc.want)
		}
	}
}

func texts(cg *ast.CommentGroup) []string {
	if cg == nil {
		return nil
	}
	var s []string
	for _, c := range cg.List {
		s = append(s, c.Text)
	}
	return s
}
