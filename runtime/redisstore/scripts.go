package redisstore

import "github.com/redis/go-redis/v9"

// The scripts run atomically in Redis, which is what makes one round trip
// enough for "lock and load" and for "check ownership, save and unlock".
// They are sent with EVALSHA (the SHA-1 is computed once, here) and fall
// back to EVAL when the server lost its script cache, e.g. after a restart.
//
// KEYS follow the order keyLock, keyData, keyWait, keyWake (a prefix of it,
// or keyWait and keyWake for wakeScript).

// lockScript takes the lock if it is free and returns the record with it.
//
// ARGV: token, lease in ms.
// Reply: the record (a string) when locked with data; nil when locked and
// there is no record; an integer (the held lock's remaining lease in ms,
// -1 if it has no expiry) when another holder has it. The failed attempt also
// sets the waiting flag so that the holder's release signals.
var lockScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('GET', KEYS[2])
end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
return redis.call('PTTL', KEYS[1])
`)

// unlockScript is the fenced save-and-release: it writes only while the
// caller's token still owns the lock, then deletes the lock and, if someone
// is waiting, pushes one wake-up (at most one queued) for them.
//
// ARGV: token, mode, record, record lease in ms, lock lease in ms.
// mode: "n" release only, "s" save with lease, "p" save without expiry,
// "d" delete the record.
// Reply: 1 done, 0 the lock was lost (nothing written).
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
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
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[3]) == 1 then
  if redis.call('LLEN', KEYS[4]) == 0 then
    redis.call('RPUSH', KEYS[4], '1')
  end
  redis.call('PEXPIRE', KEYS[4], ARGV[5])
end
return 1
`)

// refreshScript extends the lease only while the token owns the lock.
//
// ARGV: token, lease in ms. Reply: 1 extended, 0 lost.
var refreshScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// wakeScript passes on a wake-up that a waiter popped but will not use
// (its context ended), so the next waiter is not left to poll.
//
// ARGV: lease in ms.
var wakeScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('RPUSH', KEYS[2], '1')
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return 1
`)
