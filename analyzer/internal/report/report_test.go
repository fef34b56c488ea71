package report

import "testing"

func TestMessage(t *testing.T) {
	hint := "release it with s.ReleaseLock() first"
	for _, c := range []struct {
		f    Finding
		want string
	}{
		{Finding{Category: LongCall, Name: "time.Sleep", Hint: hint},
			"time.Sleep blocks while the session lock is held: other requests of this session wait (release it with s.ReleaseLock() first)"},
		{Finding{Category: LongCall, Name: "reports.Build", Trace: []string{"reports.Build", "fetchRates", "net/http.Get"}, Hint: hint},
			"reports.Build blocks while the session lock is held (reports.Build → fetchRates → net/http.Get): other requests of this session wait (release it with s.ReleaseLock() first)"},
		{Finding{Category: LongCall, Name: "handler pages.Report", At: "pages/report.go:14", Trace: []string{"pages.Report", "time.Sleep"}, Hint: hint},
			"handler pages.Report blocks at pages/report.go:14 while the session lock is held (pages.Report → time.Sleep): other requests of this session wait (release it with s.ReleaseLock() first)"},
		{Finding{Category: WriteAfterRelease, Name: "s.Set"},
			"s.Set writes the session after its lock was released: the change is not saved (write before releasing, or re-acquire the lock with AcquireLock first)"},
		{Finding{Category: WriteAfterRelease, Name: "finish", Trace: []string{"finish", "s.Set"}},
			"finish writes the session (finish → s.Set) after its lock was released: the change is not saved (write before releasing, or re-acquire the lock with AcquireLock first)"},
		{Finding{Category: WriteWithoutLock, Name: "s.Set"},
			"s.Set writes the session before its lock is taken (explicit mode): the change is not saved (call AcquireLock first)"},
		{Finding{Category: WriteWithoutLock, Name: "s.Set", ReadOnly: true},
			"s.Set writes the session in a read-only handler: the change is not saved (serve the handler with a locking wrapper, or drop the write)"},
		{Finding{Category: WriteInGoroutine, Name: "s.Set"},
			"s.Set writes the session in a goroutine started by the handler: it runs after the session lock is gone and the change is lost (write before starting the goroutine)"},
	} {
		if got := Message(c.f); got != c.want {
			t.Errorf("Message(%+v)\n got %q\nwant %q", c.f, got, c.want)
		}
	}
}

func TestOnce(t *testing.T) {
	var o Once[int]
	if !o.First(1, LongCall, "a") {
		t.Fatal("first finding not new")
	}
	if o.First(1, LongCall, "a") {
		t.Error("the same finding reported twice")
	}
	for _, c := range []struct {
		pos      int
		cat, msg string
	}{{2, LongCall, "a"}, {1, WriteAfterRelease, "a"}, {1, LongCall, "b"}} {
		if !o.First(c.pos, c.cat, c.msg) {
			t.Errorf("First(%d, %s, %s) = false: a different finding was taken for a repeat", c.pos, c.cat, c.msg)
		}
	}
}
