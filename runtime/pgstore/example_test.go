package pgstore_test

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// An app server on PostgreSQL: create the schema once (it is idempotent),
// then serve sessions whose lock holds across every server of the app.
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := pgstore.Migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	store := pgstore.New(pool)
	defer store.Close()

	sessions := session.NewManager(store)
	mux := http.NewServeMux()
	mux.HandleFunc("/cart/add", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("items").(int)
		s.Set("items", n+1) // no other request of this session runs meanwhile
	})
	log.Fatal(http.ListenAndServe("localhost:8080", sessions.Middleware(mux)))
}
