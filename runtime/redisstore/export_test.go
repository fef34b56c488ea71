package redisstore

import "github.com/sessionlock/sessionlock/runtime/session"

// RefreshNow runs l's lease refresh at once, as its timer would, so tests
// control when a refresh happens instead of racing the timer.
func RefreshNow(l session.Lock) { l.(*lockHandle).l.refresh() }
