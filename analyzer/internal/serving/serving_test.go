package serving_test

import (
	"go/types"
	"sort"
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/serving"
	"github.com/sessionlock/sessionlock/analyzer/internal/typestest"
)

// lib is a session library: its wrappers are known by their facts (here,
// fakeFacts), as the analyzer knows them from //sessionlock: directives.
const lib = `package lib

import "net/http"

type Manager struct{}

func (m *Manager) Middleware(h http.Handler) http.Handler { return h }
func (m *Manager) ReadOnly(h http.Handler) http.Handler   { return h }
`

const pages = `package pages

import "net/http"

func Report(w http.ResponseWriter, r *http.Request) {}
func Register(mux *http.ServeMux)                   {}
`

const app = `package app

import (
	"lib"
	"net/http"
	"pages"
)

type Router struct{}

func (r *Router) Use(mw ...func(http.Handler) http.Handler)              {}
func (r *Router) Get(pattern string, h http.HandlerFunc)                 {}
func (r *Router) Group(fn func(r *Router))                               {}
func (r *Router) With(mw ...func(http.Handler) http.Handler) *Router     { return r }

type App struct{ m *lib.Manager }

// Wrap hands its parameter to a wrapper: a wrapper in its own right.
func (a *App) Wrap(h http.Handler) http.Handler { return a.m.Middleware(h) }

func held(w http.ResponseWriter, r *http.Request)       {}
func readonly(w http.ResponseWriter, r *http.Request)   {}
func unserved(w http.ResponseWriter, r *http.Request)   {}
func viaDerived(w http.ResponseWriter, r *http.Request) {}
func viaRouter(w http.ResponseWriter, r *http.Request)  {}
func inGroup(w http.ResponseWriter, r *http.Request)    {}
func viaWith(w http.ResponseWriter, r *http.Request)    {}
func plain(w http.ResponseWriter, r *http.Request)      {}

func setup(m *lib.Manager, a *App) {
	mux := http.NewServeMux()
	mux.Handle("/held", m.Middleware(http.HandlerFunc(held)))
	mux.HandleFunc("/unserved", unserved)
	mux.Handle("/ro", m.ReadOnly(http.HandlerFunc(readonly)))
	mux.Handle("/derived", a.Wrap(http.HandlerFunc(viaDerived)))
	mux.Handle("/go", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() {}()
	})))

	r := &Router{}
	r.Use(m.Middleware)
	r.Get("/r", viaRouter)
	r.Get("/p", pages.Report)
	r.Group(func(r *Router) { r.Get("/g", inGroup) })

	other := &Router{}
	other.Get("/plain", plain)
	other.With(m.ReadOnly).Get("/with", viaWith)

	inner := http.NewServeMux()
	pages.Register(inner)
	mux.Handle("/pages/", m.Middleware(inner))
}

// NewPage and Register hand handlers to importers, who know their mode.
func NewPage() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {}
}

func Register(mux *http.ServeMux) { mux.HandleFunc("/reg", registered) }

func registered(w http.ResponseWriter, r *http.Request) {}
`

type fakeFacts struct{ p *typestest.Package }

func (f fakeFacts) Wrapper(fn *types.Func) (serving.Wrap, bool) {
	if fn.Pkg() == nil || fn.Pkg().Path() != "lib" {
		return serving.Wrap{}, false
	}
	switch fn.Name() {
	case "Middleware":
		return serving.Wrap{Mode: serving.Held}, true
	case "ReadOnly":
		return serving.Wrap{Mode: serving.ReadOnly}, true
	}
	return serving.Wrap{}, false
}

func (f fakeFacts) RegistersOn(fn *types.Func) int {
	if fn.Pkg() != nil && fn.Pkg().Path() == "pages" && fn.Name() == "Register" {
		return 0
	}
	return -1
}

func (f fakeFacts) Declared(fn *types.Func) bool { return fn.Pkg() != nil && fn.Pkg().Path() == "lib" }

func build(t *testing.T, hasServe bool) (*typestest.Package, *funcs.Index, *serving.Model) {
	p := typestest.Check(t, "app", map[string]string{"app": app, "lib": lib, "pages": pages, "net/http": typestest.HTTP})
	fs := p.Funcs()
	m := serving.Build(&serving.Package{
		Info: p.Info, Pkg: p.Pkg, Files: p.Files, Funcs: fs,
		Facts:    fakeFacts{p},
		Impls:    func(types.Type, string) []*types.Func { return nil },
		HasServe: hasServe,
	})
	return p, fs, m
}

// modes lists the served functions of the package with their modes:
// "held:held", "setup.func1:held".
func modes(fs *funcs.Index, m *serving.Model) []string {
	var out []string
	for _, f := range fs.All {
		var ms []string
		for _, mode := range []serving.Mode{serving.Held, serving.Explicit, serving.ReadOnly, serving.Remote} {
			if m.Modes[f].Has(mode) {
				ms = append(ms, mode.String())
			}
		}
		if len(ms) > 0 {
			out = append(out, f.Name+":"+strings.Join(ms, ","))
		}
	}
	sort.Strings(out)
	return out
}

func TestModes(t *testing.T) {
	_, fs, m := build(t, true)
	want := []string{
		"NewPage.func1:remote", // returned to importers
		"held:held",
		"inGroup:held", // registered in a group of a router that Uses the wrapper
		"readonly:readonly",
		"registered:remote", // registered on a router an importer passes
		"setup.func1:held",  // the literal the wrapper is given; not setup.func2, run by go
		"viaDerived:held",   // through the app's own wrapper
		"viaRouter:held",
		"viaWith:readonly", // route-level middleware: r.With(w).Get(p, h)
	}
	if got := modes(fs, m); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("modes:\n got %q\nwant %q", got, want)
	}
}

func TestDerivedAndExported(t *testing.T) {
	p, fs, m := build(t, true)
	if w, ok := m.Wrappers[p.Func(t, "App.Wrap")]; !ok || w != (serving.Wrap{Mode: serving.Held, Arg: 0}) {
		t.Errorf("Wrappers[App.Wrap] = %v, %v; want held, argument 0", w, ok)
	}
	if len(m.Wrappers) != 1 {
		t.Errorf("Wrappers = %v, want App.Wrap only", m.Wrappers)
	}
	res := m.Results[p.Func(t, "NewPage")]
	if len(res) != 1 || res[0].Name != "NewPage.func1" {
		t.Errorf("Results[NewPage] = %v, want its literal", res)
	}
	reg := m.Registers[p.Func(t, "Register")]
	if reg.Arg != 0 || len(reg.Funcs) != 1 || reg.Funcs[0] != fs.ByFunc[p.Func(t, "registered")] {
		t.Errorf("Registers[Register] = %+v, want registered on parameter 0", reg)
	}
}

func TestRegistrations(t *testing.T) {
	_, _, m := build(t, true)
	var got []string
	for _, r := range m.Registrations {
		kind := map[serving.Kind]string{serving.Handler: "handler", serving.Returns: "returns", serving.Registers: "registers"}[r.Kind]
		got = append(got, kind+" "+r.Fn.FullName()+" "+r.Mode.String())
	}
	want := []string{
		"handler pages.Report held",
		"registers pages.Register held",
		// m.Middleware(inner): what the mux is made by and its ServeHTTP
		// are registrations too; without facts they are judged to nothing.
		"returns net/http.NewServeMux held",
		"handler (*net/http.ServeMux).ServeHTTP held",
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("registrations:\n got %q\nwant %q", got, want)
	}
}

// Without a wrapper in sight, only what exported functions hand to
// importers is followed.
func TestNoServe(t *testing.T) {
	_, fs, m := build(t, false)
	want := []string{"NewPage.func1:remote", "registered:remote"}
	if got := modes(fs, m); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("modes without a wrapper:\n got %q\nwant %q", got, want)
	}
	if len(m.Registrations) != 0 || len(m.Wrappers) != 0 {
		t.Errorf("registrations %v, wrappers %v; want none", m.Registrations, m.Wrappers)
	}
}
