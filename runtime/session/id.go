package session

import (
	"crypto/rand"
	"encoding/base64"
)

// idBytes is the number of random bytes in a session ID: 192 bits, well
// above the 128 bits OWASP asks for, so guessing a live ID is hopeless.
const idBytes = 24

// IDLength is the length in characters of every session ID: idBytes in
// unpadded base64url.
const IDLength = (idBytes*8 + 5) / 6

// NewID returns a fresh session ID: 192 bits from crypto/rand in unpadded
// base64url, so it is safe in cookies, file names and Redis keys.
func NewID() string {
	var b [idBytes]byte
	// crypto/rand.Read never returns an error on supported platforms; it
	// crashes the program instead of handing out a predictable ID.
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidID reports whether id has the exact form NewID produces. The Manager
// checks every cookie with it before a store sees the ID, and stores that
// turn IDs into file names or keys check again, so a cookie such as
// "../../etc/passwd" never reaches a path.
func ValidID(id string) bool {
	if len(id) != IDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}
