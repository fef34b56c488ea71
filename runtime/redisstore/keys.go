package redisstore

import (
	"fmt"
	"strconv"
	"strings"
)

// maxIDLen bounds a session ID; the Manager's IDs are far shorter.
const maxIDLen = 256

// Key suffixes. Every key of a session is prefix + "{" + id + "}" + suffix,
// so they share the hash tag {id} and land in one cluster slot, which the
// scripts need: a script may only touch keys of one slot.
const (
	suffixData = ""
	suffixLock = ":lock"
	// suffixWait is the set of the tokens of the holders waiting in Redis
	// (at most one per process); a release signals only while it is not
	// empty, and a waiter leaves it when it takes the lock, so its own
	// release does not wake anyone for nothing.
	suffixWait = ":waiters"
	suffixWake = ":wake" // list a release pushes to; waiters BLPOP it
	// suffixDone holds the token of the session's last release for the
	// rest of its lease, so that a release run twice (a client's retry
	// after a lost reply) knows it already succeeded.
	suffixDone = ":released"
)

// Positions in a keys array; scripts take a prefix of it, so the order
// matches the KEYS[] order the scripts use.
const (
	keyLock = iota
	keyData
	keyWait
	keyWake
	keyDone
	numKeys
)

// checkID refuses IDs that could leave the session's keys or hash tag: a
// brace would change the hash tag, and control bytes or spaces have no
// place in an ID the Manager issued.
func checkID(id string) error {
	if id == "" || len(id) > maxIDLen {
		return fmt.Errorf("redisstore: invalid session ID (length %d): want 1 to %d characters", len(id), maxIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '{' || c == '}' {
			return fmt.Errorf("redisstore: invalid session ID: byte %#x at %d; IDs must be printable ASCII without spaces or braces", c, i)
		}
	}
	return nil
}

// dataKey is the key of id's record.
func (s *Store) dataKey(id string) string {
	return s.prefix + "{" + id + "}"
}

// lockKeys fills keys with all keys of id and returns a new token (the
// Store's nonce and seq in base 36), all cut from one string so that a lock
// costs one allocation for its names, not seven.
func (s *Store) lockKeys(keys *[numKeys]string, id string, seq uint64) string {
	suffixes := [numKeys]string{
		keyLock: suffixLock, keyData: suffixData, keyWait: suffixWait, keyWake: suffixWake, keyDone: suffixDone}
	n := len(s.tokenPrefix) + 13 // 13 base-36 digits hold any uint64
	for _, suf := range suffixes {
		n += len(s.prefix) + len(id) + 2 + len(suf)
	}
	var b strings.Builder
	b.Grow(n)
	var ends [numKeys + 1]int
	for i, suf := range suffixes {
		b.WriteString(s.prefix)
		b.WriteByte('{')
		b.WriteString(id)
		b.WriteByte('}')
		b.WriteString(suf)
		ends[i+1] = b.Len()
	}
	b.WriteString(s.tokenPrefix)
	var digits [13]byte
	b.Write(strconv.AppendUint(digits[:0], seq, 36))
	all := b.String()
	for i := range keys {
		keys[i] = all[ends[i]:ends[i+1]]
	}
	return all[ends[numKeys]:]
}
