package redisstore

import "github.com/redis/go-redis/v9"

// The scripts run atomically in Redis, which is what makes one round trip
// enough for "lock and load" and for "check ownership, save and unlock".
// They are sent with EVALSHA (the SHA-1 is computed once, here) and fall
// back to EVAL when the server lost its script cache, e.g. after a restart.
//
// Every script is safe to run twice. A client retries a command whose
// reply it did not get (go-redis: MaxRetries, 3 by default), although
// Redis may have run it: a connection reset after the script ran, a proxy
// restart. So a second run must give the answer the first one did: the
// caller's own token already on the lock is a successful lock, and a
// release already done with the caller's token is a successful release.
// Both checks are on the paths a first run rarely takes (the lock was
// busy, the token did not match), so the hot path stays as short as it was.
//
// The one Redis call on the hot path that is not a script is the first
// lock attempt (Store.tryLock: SET NX PX and GET in one pipeline); when it
// finds the lock busy, lockScript below takes over. Whatever is stored next
// to the lock must be written there and in lockScript alike.
//
// KEYS follow the order keyLock, keyData, keyWait, keyWake, keyDone (a
// prefix of it). To extend a script, append keys at the end of that order
// and ARGV after the ones listed, so the Go callers keep their meaning.

// lockScript takes the lock if it is free and returns the record with it.
//
// ARGV: token, lease in ms, the waiter's name among the waiters (the
// Store's token without the holder stamp, which changes between attempts
// of one waiter; see holder.go).
// Reply: the record (a string) when locked with data; nil when locked and
// there is no record; an integer (the held lock's remaining lease in ms,
// -1 if it has no expiry) when another holder has it. A failed attempt
// adds the caller to the waiters, so that the holder's release signals; a
// successful one removes it, so that its own release signals only if
// someone else still waits. (A waiter left in the set after giving up
// costs the next release one wake-up nobody uses, never a lost one; the
// set lasts a lease past the last waiter's attempt.)
var lockScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
   or redis.call('GET', KEYS[1]) == ARGV[1] then
  -- Taken now, or by this same call's first run (a retry): either way
  -- the caller holds it.
  redis.call('SREM', KEYS[3], ARGV[3])
  return redis.call('GET', KEYS[2])
end
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return redis.call('PTTL', KEYS[1])
`)

// unlockScript is the fenced save-and-release: it writes only while the
// caller's token still owns the lock, then releases it and, if someone is
// waiting, pushes one wake-up (at most one queued) for them.
//
// The release renames the lock to the released key instead of deleting
// it: one command either way, and the released key keeps the caller's
// token for the rest of the lease, which is how a second run of this
// script recognises a release it already did.
//
// ARGV: token, mode, record, record lease in ms, lock lease in ms.
// mode: "n" release only, "s" save with lease, "p" save without expiry,
// "d" delete the record.
// Reply: 1 done (now or by an earlier run with this token), 0 the lock was
// lost (nothing written).
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if redis.call('GET', KEYS[5]) == ARGV[1] then
    return 1
  end
  return 0
end
local mode = ARGV[2]
if mode == 's' then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
elseif mode == 'p' then
  redis.call('SET', KEYS[2], ARGV[3])
elseif mode == 'd' then
  redis.call('DEL', KEYS[2])
end
redis.call('RENAME', KEYS[1], KEYS[5])
if redis.call('EXISTS', KEYS[3]) == 1 then
  if redis.call('LLEN', KEYS[4]) == 0 then
    redis.call('RPUSH', KEYS[4], '1')
  end
  redis.call('PEXPIRE', KEYS[4], ARGV[5])
end
return 1
`)

// refreshScript extends the lease only while the token owns the lock; it
// never touches a lock another holder has taken. Running it twice extends
// the lease twice, which is harmless.
//
// ARGV: token, lease in ms. Reply: 1 extended, 0 lost.
var refreshScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// joinScript makes the caller a waiter without a lock attempt: it is the
// first step of a wait that follows a failed tryLock (which, being plain
// commands, registers nobody). If the lock is free by then, a release
// came in between and signalled nobody, so the script signals for it
// (unless a wake-up is queued already); the wait that follows then pops
// it at once instead of sleeping until it polls. Running it twice adds
// nothing.
//
// KEYS: keyLock, keyData (unused), keyWait, keyWake.
// ARGV: the waiter's name (as for lockScript), lease in ms.
var joinScript = redis.NewScript(`
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('RPUSH', KEYS[4], '1')
  redis.call('PEXPIRE', KEYS[4], ARGV[2])
end
return 1
`)
