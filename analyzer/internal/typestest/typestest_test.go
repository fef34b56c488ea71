package typestest_test

import (
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/typestest"
)

func TestFuncs(t *testing.T) {
	p := typestest.Check(t, "app", map[string]string{"app": `package app

import "lib"

func f() {
	g := func() {
		_ = func() {}
	}
	go func() {}()
	defer func() {}()
	g()
	lib.Do()
}
`, "lib": "package lib\n\nfunc Do() {}\n"})
	var got []string
	for _, f := range p.Funcs().All {
		name := f.Name
		if f.NotHandler {
			name += "(go/defer)"
		}
		got = append(got, name)
	}
	want := "f f.func1 f.func2 f.func3(go/defer) f.func4(go/defer)"
	if strings.Join(got, " ") != want {
		t.Errorf("Funcs = %q, want %q", got, want)
	}
	if fn := p.Func(t, "f"); fn.Name() != "f" {
		t.Errorf("Func(f) = %v", fn)
	}
}

// failer records the first failure instead of stopping the test.
type failer struct {
	testing.TB
	msg string
}

func (f *failer) Fatal(args ...any) {
	if f.msg == "" {
		f.msg = sprint(args...)
	}
	panic(f)
}

func (f *failer) Helper() {}

func sprint(args ...any) string {
	var b strings.Builder
	for _, a := range args {
		if err, ok := a.(error); ok {
			b.WriteString(err.Error())
		}
	}
	return b.String()
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		srcs map[string]string
		want string
	}{
		{map[string]string{"a": "package a\n\nimport _ \"b\"\n", "b": "package b\n\nimport _ \"a\"\n"}, "import cycle through a"},
		{map[string]string{"a": "package a\n\nimport _ \"c\"\n"}, `no source for package "c"`},
		{map[string]string{"a": "package a\n\nvar x int = \"s\"\n"}, "type-checking a"},
	} {
		f := &failer{TB: t}
		func() {
			defer func() {
				if r := recover(); r != nil && r != any(f) {
					panic(r)
				}
			}()
			typestest.Check(f, "a", tc.srcs)
		}()
		if !strings.Contains(f.msg, tc.want) {
			t.Errorf("Check failed with %q, want it to name %q", f.msg, tc.want)
		}
	}
}
