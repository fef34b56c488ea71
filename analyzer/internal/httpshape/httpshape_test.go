package httpshape_test

import (
	"go/types"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
	"github.com/sessionlock/sessionlock/analyzer/internal/typestest"
)

// app declares a type of each shape, written as the frameworks write them.
const app = `package app

import "net/http"

func Page(w http.ResponseWriter, r *http.Request) {}
func WithApp(a *App, w http.ResponseWriter, r *http.Request) error { return nil }
func Helper(r *http.Request) {}
func NotAHandler(s string) {}
func Mw(h http.Handler) http.Handler { return h }

type App struct{}

func (*App) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// echo: a context with a Request() method.
type EchoContext interface{ Request() *http.Request }
type EchoHandler func(c EchoContext) error
type EchoMiddleware func(EchoHandler) EchoHandler

// gin: a context with a Request field.
type GinContext struct{ Request *http.Request }
type GinHandler func(c *GinContext)

// An app's own context, embedding echo's, and one holding the request.
type AppContext struct{ EchoContext }
type OwnContext struct{ R *http.Request }
type Unexported struct{ r *http.Request }

type Router interface {
	Get(pattern string, h http.HandlerFunc)
	Use(mw ...func(http.Handler) http.Handler)
}
type Mux struct{}

func (m *Mux) HandleFunc(p string, h func(http.ResponseWriter, *http.Request)) {}

type Store struct{}

func (s *Store) Get(key string) string { return "" }

type Routes []http.HandlerFunc
type Named int

func (Named) String() string { return "" }
`

func check(t *testing.T) *typestest.Package {
	return typestest.Check(t, "app", map[string]string{"app": app, "net/http": typestest.HTTP})
}

func sig(t *testing.T, p *typestest.Package, name string) *types.Signature {
	return p.Func(t, name).Type().(*types.Signature)
}

func TestHandlers(t *testing.T) {
	p := check(t)
	for _, tc := range []struct {
		name    string
		params  bool // HandlerParams
		handler bool // IsHandlerFunc
	}{
		{"Page", true, true},
		{"WithApp", true, false},
		{"Helper", true, false}, // a helper given the request runs within a handler
		{"NotAHandler", false, false},
		{"Mw", false, false},
	} {
		s := sig(t, p, tc.name)
		if got := httpshape.HandlerParams(s); got != tc.params {
			t.Errorf("HandlerParams(%s) = %v, want %v", tc.name, got, tc.params)
		}
		if got := httpshape.IsHandlerFunc(s); got != tc.handler {
			t.Errorf("IsHandlerFunc(%s) = %v, want %v", tc.name, got, tc.handler)
		}
	}
	if !httpshape.IsMiddleware(sig(t, p, "Mw")) || httpshape.IsMiddleware(sig(t, p, "Page")) {
		t.Error("IsMiddleware: want Mw only")
	}
	if !httpshape.IsMiddlewareType(p.Type(t, "EchoMiddleware")) || httpshape.IsMiddlewareType(p.Type(t, "EchoHandler")) {
		t.Error("IsMiddlewareType: want EchoMiddleware, not EchoHandler")
	}
	for _, name := range []string{"EchoHandler", "GinHandler"} {
		fs := p.Type(t, name).Underlying().(*types.Signature)
		if !httpshape.HandlerParams(fs) {
			t.Errorf("HandlerParams(%s) = false, want true (a framework context)", name)
		}
	}
}

func TestRequestSelector(t *testing.T) {
	p := check(t)
	for name, want := range map[string]string{
		"EchoContext": ".Request()",
		"GinContext":  ".Request",
		"AppContext":  ".Request()", // through the embedded context
		"OwnContext":  ".R",
		"Unexported":  "", // the handler's package cannot name it elsewhere
		"Store":       "",
	} {
		typs := []types.Type{p.Type(t, name)}
		if !types.IsInterface(typs[0]) {
			typs = append(typs, types.NewPointer(typs[0])) // *gin.Context
		}
		for _, typ := range typs {
			if got := httpshape.RequestSelector(typ); got != want {
				t.Errorf("RequestSelector(%s) = %q, want %q", typ, got, want)
			}
			if got := httpshape.CarriesRequest(typ); got != (want != "") {
				t.Errorf("CarriesRequest(%s) = %v", typ, got)
			}
		}
	}
}

func TestRegistrableAndHolders(t *testing.T) {
	p := check(t)
	app := types.NewPointer(p.Type(t, "App"))
	for _, tc := range []struct {
		typ         types.Type
		registrable bool
		holds       bool
	}{
		{p.Func(t, "Page").Type(), true, true},
		{app, true, true},
		{p.Type(t, "Routes"), false, true}, // a route table
		{p.Type(t, "Named"), false, true},  // a type with methods may be a handler
		{types.Typ[types.String], false, false},
		{types.NewPointer(types.Typ[types.Int]), false, false},
	} {
		if got := httpshape.Registrable(tc.typ); got != tc.registrable {
			t.Errorf("Registrable(%s) = %v, want %v", tc.typ, got, tc.registrable)
		}
		if got := httpshape.MayHoldHandler(tc.typ); got != tc.holds {
			t.Errorf("MayHoldHandler(%s) = %v, want %v", tc.typ, got, tc.holds)
		}
	}
	if m := httpshape.ServeHTTPOf(app, p.Pkg); m == nil || m.Name() != "ServeHTTP" {
		t.Errorf("ServeHTTPOf(*App) = %v, want its method", m)
	}
	if m := httpshape.ServeHTTPOf(types.NewPointer(p.Type(t, "Store")), p.Pkg); m != nil {
		t.Errorf("ServeHTTPOf(*Store) = %v, want nil", m)
	}
}

func TestRouters(t *testing.T) {
	p := check(t)
	var r httpshape.Routers
	for _, tc := range []struct {
		typ  types.Type
		want bool
	}{
		{p.Type(t, "Router"), true},                   // an interface with Get(pattern, handler)
		{types.NewPointer(p.Type(t, "Mux")), true},    // HandleFunc(pattern, func)
		{p.Type(t, "Mux"), true},                      // its methods are on the pointer
		{types.NewPointer(p.Type(t, "Store")), false}, // Get(string) takes no handler
		{p.Type(t, "Routes"), false},
		{types.Typ[types.String], false},
	} {
		for i := 0; i < 2; i++ { // the second answer comes from the cache
			if got := r.Is(tc.typ); got != tc.want {
				t.Errorf("Routers.Is(%s) = %v, want %v (call %d)", tc.typ, got, tc.want, i+1)
			}
		}
	}
}
