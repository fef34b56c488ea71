// Package rates is a helper package with no session in sight: the analyzer
// must learn from a fact that Fetch blocks and report it in the handler that
// calls it while holding the lock.
package rates

import (
	"io"
	"net/http"
)

// Fetch downloads the current exchange rates.
func Fetch(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// Convert is pure arithmetic; it only blocks when a user says so with
// -long=example.com/app/rates.Convert (the flag pass-through test).
func Convert(amount, rate float64) float64 { return amount * rate }
