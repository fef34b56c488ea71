// Package browser tests the session debug page of examples/seed in a real
// browser: it builds and starts the seed app, recreates the article's
// scenario (page1 holding the session lock, page2 waiting for it) and
// loads /debug/sessions in headless Chromium through chromedp. It is a
// module of its own so that the project's main module does not depend on
// chromedp.
package browser
