package redisstore_test

import (
	"context"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// patience bounds waits that must end; it fails a hung test, it is not a
// speed requirement.
const patience = 20 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	return ctx
}

// newClient returns a client of addr closed at the end of t.
func newClient(t *testing.T, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// prefixSeq gives each store of a test binary its own key space, so tests
// can share one server.
var prefixSeq atomic.Int64

func freshPrefix() string { return "t" + strconv.FormatInt(prefixSeq.Add(1), 10) + ":" }

// newStore returns a store on the shared server with its own prefix.
func newStore(t *testing.T, opts ...redisstore.Option) (*redisstore.Store, *redis.Client) {
	c := newClient(t, sharedRedis(t))
	return redisstore.New(c, append([]redisstore.Option{redisstore.Prefix(freshPrefix())}, opts...)...), c
}

// future is an expiry far enough away not to matter.
func future() time.Time { return time.Now().Add(time.Hour) }

func mustLock(t *testing.T, s *redisstore.Store, id string) (session.Lock, []byte) {
	t.Helper()
	l, data, err := s.Lock(ctxT(t), id)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	return l, data
}

// counter is a go-redis hook that counts round trips: one per command sent
// alone, one per pipeline; and commands by name, those in pipelines too.
type counter struct {
	n    atomic.Int64
	cmds sync.Map // command name -> *atomic.Int64
}

func (c *counter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		v, _ := c.cmds.LoadOrStore(cmd.Name(), new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
		return next(ctx, cmd)
	}
}

func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		for _, cmd := range cmds {
			v, _ := c.cmds.LoadOrStore(cmd.Name(), new(atomic.Int64))
			v.(*atomic.Int64).Add(1)
		}
		return next(ctx, cmds)
	}
}

func (c *counter) count(name string) int64 {
	v, ok := c.cmds.Load(name)
	if !ok {
		return 0
	}
	return v.(*atomic.Int64).Load()
}

// proxy forwards TCP to a Redis server and can freeze all traffic, which
// is what a long GC pause, a stopped VM or a partition looks like to the
// server: the holder is silent, its lease runs out.
type proxy struct {
	Addr   string
	ln     net.Listener
	target string

	mu     sync.Mutex
	cond   *sync.Cond
	paused bool
	conns  []net.Conn
	// drops counts replies still to be dropped: the server's next reply
	// is read and thrown away, and the connection closed, as a reset
	// after the server ran the command looks to the client.
	drops   int
	dropped chan struct{} // gets one value per dropped reply
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{Addr: ln.Addr().String(), ln: ln, target: target, dropped: make(chan struct{}, 16)}
	p.cond = sync.NewCond(&p.mu)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(s, c, false)
		go p.pipe(c, s, true)
	}
}

// pipe copies src to dst; fromServer marks the direction whose replies
// dropReply drops.
func (p *proxy) pipe(dst, src net.Conn, fromServer bool) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		p.mu.Lock()
		for p.paused {
			p.cond.Wait()
		}
		drop := fromServer && n > 0 && p.drops > 0
		if drop {
			p.drops--
		}
		p.mu.Unlock()
		if drop {
			p.dropped <- struct{}{}
			return // closes both ends: the reply never arrives
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// dropReply makes the proxy drop the next reply the server sends (on any
// connection) and reset that connection. The command it answers has run.
func (p *proxy) dropReply() { p.mu.Lock(); p.drops++; p.mu.Unlock() }

// pause holds every byte in flight until resume.
func (p *proxy) pause() { p.mu.Lock(); p.paused = true; p.mu.Unlock() }

func (p *proxy) resume() { p.mu.Lock(); p.paused = false; p.cond.Broadcast(); p.mu.Unlock() }

func (p *proxy) close() {
	p.ln.Close()
	p.resume()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
}

// shared is one redis-server for the tests that do not stop it.
var (
	sharedOnce sync.Once
	sharedSrv  *redistest.Server
	sharedErr  error
)

// shared starts the test binary's shared server on first use; TestMain
// stops it.
func shared() (string, error) {
	sharedOnce.Do(func() {
		dir, err := mkTemp()
		if err == nil {
			sharedSrv, err = redistest.New(dir)
		}
		sharedErr = err
	})
	if sharedErr != nil {
		return "", sharedErr
	}
	return sharedSrv.Addr, nil
}

// sharedRedis returns the address of the shared server.
func sharedRedis(t *testing.T) string {
	t.Helper()
	addr, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// outOfPatience returns a function that reports whether patience has
// passed since the call: the bound of a polling loop, taken once before
// it (a context made afresh on every pass would never expire).
func outOfPatience() func() bool {
	end := time.Now().Add(patience)
	return func() bool { return time.Now().After(end) }
}
