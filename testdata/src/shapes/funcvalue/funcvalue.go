// Package funcvalue calls functions it is given: adapters running the
// handlers they wrap, as writefreely's Handler.All does, and helpers
// running an operation.
package funcvalue

import (
	"net/http"
	"os/exec"
	"time"

	"sessionlib"
)

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// wrap runs the handler it adapts. The call blocks, as one handler the
// package passes (report) blocks, but the handler is judged where it is
// written: report's own line is reported, not every adapter that runs it.
func wrap(f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

// logged runs the handler inside a literal called in place: the handler
// is judged where it is written, and the literal's call blocks through it,
// as any call of a literal run in place that blocks.
func logged(f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		logError(func() error {
			return f(w, r)
		}()) // want `logged.func2 blocks while the session lock is held \(logged.func2 → f → report → \(\*os/exec.Cmd\).Run\)`
	}
}

func logError(err error) {}

// guarded runs an operation before the handler. What is passed for op
// runs under the lock too, and is judged where it is written (slowOp).
func guarded(op func() error, f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := op(); err != nil {
			return
		}
		_ = f(w, r)
	}
}

// quick is only given handlers that do not block: its call is silent.
func quick(f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { _ = f(w, r) }
}

// lits is only given a literal, which is checked where it is written.
func lits(f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { _ = f(w, r) }
}

// withRetry runs the operation it is given: each call blocks when what it
// passes for op does, and only then.
func withRetry(op func() error) error {
	for i := 0; i < 3; i++ {
		if op() == nil {
			return nil
		}
	}
	return nil
}

func slowOp() error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}
func fastOp() error { return nil }

// runJob is a job runner that no handler calls: nothing is reported.
func runJob(job func() error) { _ = job() }

func report(w http.ResponseWriter, r *http.Request) error {
	sessionlib.FromContext(r.Context()).Set("seen", true)
	return exec.Command("report").Run() // want `\(\*os/exec.Cmd\).Run blocks while the session lock is held`
}

func home(w http.ResponseWriter, r *http.Request) error {
	_ = sessionlib.FromContext(r.Context()).Get("user")
	return nil
}

func page(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context()).Get("user")
	_ = withRetry(fastOp)
	_ = withRetry(slowOp)        // want `withRetry blocks while the session lock is held \(withRetry → op → slowOp → time.Sleep\)`
	_ = withRetry(func() error { // want `withRetry blocks while the session lock is held \(withRetry → op → page.func1 → \(\*os/exec.Cmd\).Run\)`
		return exec.Command("sync").Run()
	})
	_ = withRetry(func() error { return nil })
}

// Routes sleeps itself, through withRetry(slowOp); it is no handler.
func Routes(m *sessionlib.Manager) http.Handler { // want Routes:`blocks\(withRetry → op → slowOp → time.Sleep\)`
	mux := http.NewServeMux()
	mux.Handle("/report", wrap(report))
	mux.Handle("/home", wrap(home))
	mux.Handle("/logged", logged(report))
	mux.Handle("/quick", quick(home))
	mux.Handle("/guarded", guarded(slowOp, home))
	mux.Handle("/lit", lits(func(w http.ResponseWriter, r *http.Request) error {
		_ = sessionlib.FromContext(r.Context()).Get("user")
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
		return nil
	}))
	mux.HandleFunc("/page", page)
	go runJob(slowOp)
	_ = withRetry(slowOp)
	return m.Middleware(mux)
}

// report2 calls a helper that passes an operation declared after both:
// the operation's summary is computed before the helper's all the same.
func report2(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context()).Get("user")
	_ = sync2() // want `sync2 blocks while the session lock is held \(sync2 → withRetry → op → lateOp → \(\*os/exec.Cmd\).Run\)`
}

func sync2() error { return withRetry(lateOp) }

func lateOp() error { return exec.Command("late").Run() }
