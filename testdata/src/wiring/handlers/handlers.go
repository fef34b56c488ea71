package handlers // want package:`pending\(Handler.Profile → UserService.Find, Handler.Profile → Clock.Now\)`

// handlers calls its services through interfaces; their
// implementations live in a package it never imports, and are wired to it
// only in main (package wiring/app). Nothing can be reported here.

import (
	"net/http"

	"sessionlib"
)

// UserService is implemented by wiring/store.
type UserService interface {
	Find(id int) (string, error)
}

// Clock is implemented by a type that does not block.
type Clock interface{ Now() int64 }

type Handler struct {
	Users UserService
	Clock Clock
}

func New(users UserService) *Handler { return &Handler{Users: users} }

func (h *Handler) Profile(w http.ResponseWriter, r *http.Request) { // want Profile:`writes\(s.Set\) obtains`
	s := sessionlib.FromContext(r.Context())
	name, _ := h.Users.Find(1)
	_ = h.Clock.Now()
	s.Set("name", name)
}

// Released calls the service after releasing the lock: nothing to report.
func (h *Handler) Released(w http.ResponseWriter, r *http.Request) { // want Released:`releases always obtains`
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	h.Users.Find(2)
}
