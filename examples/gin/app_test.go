package main

import (
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/examples/internal/seedtest"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// ginApp is the app with its long operation cut to nothing; the tests
// park page1 in the hook instead.
func ginApp() seedtest.App {
	sleep = 0
	m, h := newApp()
	return seedtest.AppOf(m, h, &hook)
}

func TestPage2WaitsBehindPage1(t *testing.T) { seedtest.Page2WaitsBehindPage1(t, ginApp()) }

func TestPage2DoesNotWaitBehindFixedPage1(t *testing.T) {
	seedtest.Page2DoesNotWaitBehindFixedPage1(t, ginApp())
}

// The debug page names gin's route pattern.
func TestDebugPageIsMounted(t *testing.T) { seedtest.DebugPageShows(t, ginApp(), "/") }
