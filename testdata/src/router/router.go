// Package router is a minimal chi-like router for registration fixtures.
package router

import "net/http"

type Router struct {
	mws []func(http.Handler) http.Handler
}

func New() *Router                                                   { return &Router{} }
func (r *Router) Use(mw ...func(http.Handler) http.Handler)          { r.mws = append(r.mws, mw...) }
func (r *Router) Get(pattern string, h http.HandlerFunc)             {}
func (r *Router) Handle(pattern string, h http.Handler)              {}
func (r *Router) Route(pattern string, fn func(r *Router))           {}
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {}
