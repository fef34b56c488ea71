package redisstore

import (
	"context"
	"fmt"
	"time"
)

// A reply is what one call to Redis returned.
type reply struct {
	v   any
	err error
}

// bounded runs call and returns its reply, or ctx's error as soon as ctx
// is done, whatever the client and the server do meanwhile.
//
// The client cannot be trusted to stop on ctx: go-redis honours a
// context's deadline only with ContextTimeoutEnabled, and otherwise waits
// for its ReadTimeout and retries, so a stalled Redis (paused, swapping,
// a frozen VM) would hold the caller for seconds past its lock-wait bound
// or after its client left. So the call runs on its own goroutine. If ctx
// ends first, the call goes on in the background, and undo (if not nil)
// gets its reply once it comes, to give back what it took: a lock the
// abandoned call may have acquired (a wait's pipeline included), a place
// among the waiters it may have taken.
//
// The call runs under ctx without its cancellation, bounded by the
// client's own timeouts only. Were it cut off at ctx's deadline (as
// go-redis does with ContextTimeoutEnabled), the client would close the
// connection with the command still queued in a stalled server, which
// may run it after it resumes: the reply, and with it what the call took,
// would be lost to undo, and a lock taken that way would stay until its
// lease ends. Waiting for the reply lets undo see what really happened.
//
// The error when ctx ended first is a *stalledError naming op.
func bounded(ctx context.Context, op string, call func(context.Context) (any, error), undo func(reply)) (any, error) {
	if ctx.Done() == nil {
		return call(ctx)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // nothing sent
	}
	ch := make(chan reply, 1)
	runJob(&job{ctx: context.WithoutCancel(ctx), call: call, done: ch})
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		if undo != nil {
			go func() { undo(<-ch) }()
		}
		return nil, &stalledError{op: op, ctxErr: ctx.Err()}
	}
}

// A stalledError is the error of a call that ctx ended before Redis
// answered it. It wraps ctx's error (the caller's bound, so a lock-wait
// timeout is still one) and ErrUnavailable (the cause, for logs and error
// pages).
type stalledError struct {
	op     string
	ctxErr error
}

func (e *stalledError) Error() string {
	return fmt.Sprintf("redisstore: %s: Redis did not answer before the caller stopped waiting (%v); "+
		"the server may be stalled or overloaded", e.op, e.ctxErr)
}

func (e *stalledError) Unwrap() []error { return []error{e.ctxErr, ErrUnavailable} }

// A job is one call for a worker; its reply goes to done (buffered).
type job struct {
	ctx  context.Context
	call func(context.Context) (any, error)
	done chan<- reply
}

// jobs hands a job to an idle worker. It is unbuffered: a send succeeds
// only when a worker waits, else runJob starts one.
var jobs = make(chan *job)

// workerIdle is how long a worker waits for another job before it exits.
const workerIdle = time.Second

// runJob runs j on an idle worker, or on a new one. Workers outlive a
// call so that a call does not pay for a fresh goroutine and for growing
// its stack through the client's deep call path on every request; an
// idle worker exits after workerIdle.
func runJob(j *job) {
	select {
	case jobs <- j:
	default:
		go worker(j)
	}
}

func worker(j *job) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		v, err := j.call(j.ctx)
		j.done <- reply{v, err}
		j = nil
		idle.Reset(workerIdle)
		select {
		case j = <-jobs:
		case <-idle.C:
			return
		}
	}
}
