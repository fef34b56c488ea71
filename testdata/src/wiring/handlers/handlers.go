package handlers // want package:`pending\(Handler.Profile → UserService.Find, Handler.Profile → Clock.Now, Handler.History → Orders.Count\)`

// handlers calls its services through interfaces; their
// implementations live in a package it never imports, and are wired to it
// only in main (package wiring/app). A method that takes a
// context.Context is presumed to do I/O and reported here; the others are
// left to the wiring.

import (
	"context"
	"net/http"

	"sessionlib"
)

// UserService is implemented by wiring/store.
type UserService interface {
	Find(id int) (string, error)
}

// Clock is implemented by a type that does not block.
type Clock interface{ Now() int64 }

// Orders takes a context: a service call, presumed to do I/O.
type Orders interface {
	Recent(ctx context.Context, user string) ([]string, error)
	Count() int // no context: left to the wiring, which sees no implementation
}

type Handler struct {
	Users  UserService
	Clock  Clock
	Orders Orders
}

func New(users UserService) *Handler { return &Handler{Users: users} }

func (h *Handler) Profile(w http.ResponseWriter, r *http.Request) { // want Profile:`writes\(s.Set\) handler obtains`
	s := sessionlib.FromContext(r.Context())
	name, _ := h.Users.Find(1)
	_ = h.Clock.Now()
	s.Set("name", name)
}

func (h *Handler) History(w http.ResponseWriter, r *http.Request) { // want History:`blocks\(Orders.Recent → presumed to do I/O: it takes a context.Context and no implementation is in sight\) handler obtains`
	s := sessionlib.FromContext(r.Context())
	list, _ := h.Orders.Recent(r.Context(), s.ID()) // want `Orders.Recent blocks while the session lock is held \(Orders.Recent → presumed to do I/O: it takes a context.Context and no implementation is in sight\)`
	_ = h.Orders.Count()
	_ = list
}

// Released calls the service after releasing the lock: nothing to report.
func (h *Handler) Released(w http.ResponseWriter, r *http.Request) { // want Released:`releases always handler obtains`
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	h.Users.Find(2)
}
