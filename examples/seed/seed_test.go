package main

import (
	"testing"

	"github.com/sessionlock/sessionlock/examples/internal/seedtest"
)

// seedApp is the app with its long operation cut to nothing; the tests
// park page1 in the hook instead.
func seedApp() seedtest.App {
	sleep = 0
	m, h := newApp()
	return seedtest.AppOf(m, h, &hook)
}

func TestPage2WaitsBehindPage1(t *testing.T) { seedtest.Page2WaitsBehindPage1(t, seedApp()) }

func TestPage2DoesNotWaitBehindFixedPage1(t *testing.T) {
	seedtest.Page2DoesNotWaitBehindFixedPage1(t, seedApp())
}

func TestDebugPageIsMounted(t *testing.T) { seedtest.DebugPageShows(t, seedApp(), "GET /{$}") }
