// Package httpshape recognises HTTP handlers, middleware, routers and
// framework contexts by the shape of their types, whatever package
// declares them: net/http, echo, gin, chi or an app's own. The analyzer
// hard-codes no router's import path, so a new framework is understood
// when its types look like these.
package httpshape

import "go/types"

// Registrable reports whether a value of type t can be registered as a
// handler: a function, or a type with a ServeHTTP method.
func Registrable(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := t.Underlying().(*types.Signature); ok {
		return true
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	_, ok := obj.(*types.Func)
	return ok
}

// IsMiddleware reports whether sig adapts one handler into another, as
// func(http.Handler) http.Handler does: its result, not itself, is served.
func IsMiddleware(sig *types.Signature) bool {
	return sig.Params().Len() == 1 && sig.Results().Len() == 1 &&
		Registrable(sig.Params().At(0).Type()) && Registrable(sig.Results().At(0).Type())
}

// IsMiddlewareType reports whether t is a middleware function type
// (echo.MiddlewareFunc, func(http.Handler) http.Handler).
func IsMiddlewareType(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	return ok && IsMiddleware(sig)
}

// IsHandlerFunc reports whether t is func(w, *Request) with no results:
// the shape of an HTTP handler, whatever package its request type comes
// from.
func IsHandlerFunc(t types.Type) bool {
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	p, ok := types.Unalias(sig.Params().At(1).Type()).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Name() == "Request"
}

// HandlerParams reports whether sig takes what a handler takes: a response
// writer, a request (w, r; app, w, r; a helper given the request runs
// within one), or a framework context that carries the request
// (echo.Context, *gin.Context, an app's context type embedding one) with
// no result but an error.
func HandlerParams(sig *types.Signature) bool {
	if sig == nil {
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		if IsNamed(t, "", "ResponseWriter") || IsNamedPtr(t, "", "Request") {
			return true
		}
	}
	return sig.Params().Len() == 1 && CarriesRequest(sig.Params().At(0).Type()) && errorOnly(sig.Results())
}

// CarriesRequest reports whether t is a framework context: a type with a
// Request() *http.Request method (echo) or a Request *http.Request field
// (gin), also through embedding, or an app's struct holding the request.
func CarriesRequest(t types.Type) bool {
	return RequestSelector(t) != ""
}

// RequestSelector is how a framework context carrying the request names
// it: ".Request()" for a method (echo, an app's context embedding one),
// ".Request" for gin's field, or the field of an app's own context struct
// that holds it (".R"); "" when t carries no request.
func RequestSelector(t types.Type) string {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Request")
	switch obj := obj.(type) {
	case *types.Func:
		if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Params().Len() == 0 && sig.Results().Len() == 1 && IsNamedPtr(sig.Results().At(0).Type(), "", "Request") {
			return ".Request()"
		}
		return ""
	case *types.Var:
		if IsNamedPtr(obj.Type(), "", "Request") {
			return ".Request"
		}
		return ""
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := t.Underlying().(*types.Struct); ok {
		for i := 0; i < s.NumFields(); i++ {
			if f := s.Field(i); f.Exported() && IsNamedPtr(f.Type(), "net/http", "Request") {
				return "." + f.Name()
			}
		}
	}
	return ""
}

// MayHoldHandler reports whether a value of type t can be, or hold, a
// handler: a function, an interface, a type with methods (a handler, a
// mux, a router), or a slice, array or map (a route table).
func MayHoldHandler(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return true
	case *types.Pointer:
		_, isNamed := types.Unalias(u.Elem()).(*types.Named)
		return isNamed
	case *types.Slice, *types.Map, *types.Array:
		return true
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.NumMethods() > 0
}

// ServeHTTPOf returns the ServeHTTP method of a concrete type, or nil.
func ServeHTTPOf(t types.Type, from *types.Package) *types.Func {
	obj, _, _ := types.LookupFieldOrMethod(t, true, from, "ServeHTTP")
	fn, ok := obj.(*types.Func)
	if !ok || !IsHandlerFunc(fn.Type()) {
		return nil
	}
	return fn
}

// Routers answers whether types register handlers, caching the answer per
// type: the question is asked of every value a router may flow through.
// The zero value is ready to use.
type Routers struct {
	cache map[types.Type]bool
}

// Is reports whether t registers handlers: it has a method taking a
// pattern and a handler, as Get(pattern string, h http.HandlerFunc) does.
func (r *Routers) Is(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic, *types.Signature, *types.Slice, *types.Map, *types.Array, *types.Chan:
		return false
	case *types.Pointer:
		if _, ok := types.Unalias(u.Elem()).(*types.Named); !ok {
			return false
		}
	}
	if is, ok := r.cache[t]; ok {
		return is
	}
	is := routerMethods(t)
	if r.cache == nil {
		r.cache = make(map[types.Type]bool)
	}
	r.cache[t] = is
	return is
}

func routerMethods(t types.Type) bool {
	ms := types.NewMethodSet(t)
	if !types.IsInterface(t) {
		if _, isPtr := t.(*types.Pointer); !isPtr {
			ms = types.NewMethodSet(types.NewPointer(t))
		}
	}
	for i := 0; i < ms.Len(); i++ {
		sig, ok := ms.At(i).Type().(*types.Signature)
		if !ok {
			continue
		}
		str, h := false, false
		for j := 0; j < sig.Params().Len(); j++ {
			pt := sig.Params().At(j).Type()
			if b, ok := pt.Underlying().(*types.Basic); ok && b.Kind() == types.String {
				str = true
			} else if Registrable(pt) {
				h = true
			}
		}
		if str && h {
			return true
		}
	}
	return false
}

// IsNamed reports whether t is the named type path.name; an empty path
// matches any package, for frameworks that declare their own Request.
func IsNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && (path == "" || n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path)
}

// IsNamedPtr reports whether t is a pointer to the named type path.name.
func IsNamedPtr(t types.Type, path, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && IsNamed(p.Elem(), path, name)
}

// errorOnly reports whether results are none or a single error.
func errorOnly(res *types.Tuple) bool {
	return res.Len() == 0 || res.Len() == 1 && types.Identical(res.At(0).Type(), types.Universe.Lookup("error").Type())
}
