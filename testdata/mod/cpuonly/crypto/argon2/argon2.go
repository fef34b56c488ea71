// Package argon2 stands in for golang.org/x/crypto/argon2: it hashes in
// parallel goroutines and waits for them on a WaitGroup, doing no I/O.
package argon2

import "sync"

// IDKey derives a key; threads goroutines share the work.
func IDKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	out := make([]byte, keyLen)
	var wg sync.WaitGroup
	for i := 0; i < int(threads); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range out {
				out[j] ^= password[j%len(password)] ^ byte(time)
			}
		}()
	}
	wg.Wait()
	return out
}
