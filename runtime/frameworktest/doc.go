// Package frameworktest proves the runtime with real third-party routers:
// the servetest conformance suite and runnable examples for
// github.com/labstack/echo/v4 (through echo.WrapMiddleware) and
// github.com/go-chi/chi/v5 (which takes the Manager's wrappers as they
// are). It is its own module so that the root module keeps no dependency
// on either; gin has its own adapter, runtime/ginsession. The package has
// no API: its tests and examples are its content.
package frameworktest
