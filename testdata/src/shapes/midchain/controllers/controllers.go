// Package controllers serves the admin UI as gophish does: routes wrapped
// one by one with mid.Use, the whole router wrapped again with mid.Use and
// then by the session manager; the API composed with alice.
package controllers

import (
	"net/http"
	"net/smtp"
	"time"

	"github.com/justinas/alice"

	"shapes/midchain/mid"
)

type AdminServer struct{ limiter *limiter }

type limiter struct{}

func (l *limiter) Limit(next http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) }
}

// Campaigns never obtains the session: held because the router is.
func (as *AdminServer) Campaigns(w http.ResponseWriter, r *http.Request) { // want Campaigns:`blocks\(net/smtp.SendMail\)`
	smtp.SendMail("127.0.0.1:25", nil, "a@b", []string{"c@d"}, nil) // want `net/smtp.SendMail blocks while the session lock is held`
}

func (as *AdminServer) Webhooks(w http.ResponseWriter, r *http.Request) { // want Webhooks:`blocks\(net/http.Post\)`
	http.Post("http://127.0.0.1/hook", "application/json", nil) // want `net/http.Post blocks while the session lock is held`
}

func (as *AdminServer) Login(w http.ResponseWriter, r *http.Request) { // want Login:`blocks\(time.Sleep\)`
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func (as *AdminServer) registerRoutes() http.Handler {
	router := http.NewServeMux()
	router.HandleFunc("/campaigns", mid.Use(as.Campaigns, mid.RequireLogin))
	router.HandleFunc("/webhooks", mid.Use(as.Webhooks, mid.RequirePermission("modify_system"), mid.RequireLogin))
	router.HandleFunc("/login", mid.Use(as.Login, as.limiter.Limit))

	adminHandler := mid.Use(router.ServeHTTP, mid.GetContext, mid.ApplySecurityHeaders)
	return mid.SessionManager.Middleware(adminHandler)
}

type apiServer struct{}

func (api *apiServer) campaigns(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func (api *apiServer) status(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // read-only chain: blocking is fine
}

func requireAPIKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

func (api *apiServer) routes() http.Handler {
	common := alice.New(mid.SessionManager.Middleware, requireAPIKey)
	mux := http.NewServeMux()
	mux.Handle("/api/campaigns", common.ThenFunc(api.campaigns))
	mux.Handle("/api/status", alice.New(mid.SessionManager.ReadOnly).ThenFunc(api.status))
	return mux
}
